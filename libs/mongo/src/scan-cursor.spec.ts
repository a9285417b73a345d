import { MongoStoreErrorCode } from './mongo-store.error';
import { decodeScanCursor, encodeScanCursor } from './scan-cursor';

describe('scan cursor', () => {
  it('decodes the position it encoded, whatever the session id holds', () => {
    const position = { sessionId: 'session "quoted" ü/+=', seq: 42 };
    expect(decodeScanCursor(encodeScanCursor(position))).toEqual(position);
  });

  it.each([
    '',
    'not-a-cursor',
    Buffer.from('["s", "1"]').toString('base64url'),
    Buffer.from('{}').toString('base64url'),
  ])('refuses %j', (cursor) => {
    expect(() => decodeScanCursor(cursor)).toThrow(
      expect.objectContaining({ code: MongoStoreErrorCode.InvalidCursor }),
    );
  });
});
