import { decodeArchiveScanCursor, encodeArchiveScanCursor } from './archive-scan-cursor';

describe('archive scan cursor', () => {
  it('decodes the position it encoded, whatever the session id holds', () => {
    const position = { sessionId: 'session "quoted" ü/+=', seq: 42 };
    expect(decodeArchiveScanCursor(encodeArchiveScanCursor(position))).toEqual(position);
  });

  it.each([
    '',
    'not-a-cursor',
    Buffer.from('["s", "1"]').toString('base64url'),
    Buffer.from('["s", 1.5]').toString('base64url'),
    Buffer.from('{}').toString('base64url'),
  ])('refuses %j', (cursor) => {
    expect(decodeArchiveScanCursor(cursor)).toBeUndefined();
  });
});
