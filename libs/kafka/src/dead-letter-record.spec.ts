import { DeadLetter, DeadLetterReason } from '@app/ports';
import {
  DEAD_LETTER_HEADERS,
  fromDeadLetterRecord,
  MAX_DETAIL_CHARACTERS,
  toDeadLetterRecord,
} from './dead-letter-record';

const failedAt = new Date('2025-03-03T09:00:00.000Z');

/** What a consumer reads back: header values arrive as bytes. */
function asRead(letter: DeadLetter) {
  const record = toDeadLetterRecord(letter, failedAt);
  const headers = Object.fromEntries(
    Object.entries(record.headers ?? {}).map(([name, value]) => [name, Buffer.from(value)]),
  );
  return {
    key: record.key === null ? null : Buffer.from(record.key),
    value: Buffer.from(record.value),
    headers,
  };
}

describe(toDeadLetterRecord.name, () => {
  const letter: DeadLetter = {
    payload: Buffer.from([0x7b, 0xff, 0x00]),
    key: 'session-1',
    reason: DeadLetterReason.FoldRejected,
    detail: 'session_not_created: session.run_started (seq 2) before session.created',
    source: { topic: 'session-events', partition: 3, offset: '1042' },
    sessionId: 'session-1',
    eventId: '0b7e7a52-3f0c-4c8e-9d43-1f6f1c2a9b10',
  };

  it('keeps the original key and bytes and says why and where in headers', () => {
    const record = toDeadLetterRecord(letter, failedAt);
    expect(record.key).toBe('session-1');
    expect(record.value).toBe(letter.payload);
    expect(record.headers).toEqual({
      [DEAD_LETTER_HEADERS.reason]: 'fold_rejected',
      [DEAD_LETTER_HEADERS.detail]: letter.detail,
      [DEAD_LETTER_HEADERS.sourceTopic]: 'session-events',
      [DEAD_LETTER_HEADERS.sourcePartition]: '3',
      [DEAD_LETTER_HEADERS.sourceOffset]: '1042',
      [DEAD_LETTER_HEADERS.failedAt]: '2025-03-03T09:00:00.000Z',
      [DEAD_LETTER_HEADERS.sessionId]: 'session-1',
      [DEAD_LETTER_HEADERS.eventId]: letter.eventId,
    });
  });

  it('reads back to the same letter', () => {
    expect(fromDeadLetterRecord(asRead(letter))).toEqual({ ...letter, failedAt: failedAt.toISOString() });
  });

  it('leaves out what the letter does not know', () => {
    const bare: DeadLetter = {
      payload: Buffer.from('not json'),
      key: null,
      reason: DeadLetterReason.InvalidEvent,
      detail: '(record): invalid JSON',
      source: { topic: 'events' },
    };
    const read = fromDeadLetterRecord(asRead(bare));
    expect(read).toEqual({ ...bare, failedAt: failedAt.toISOString() });
    expect('sessionId' in read).toBe(false);
    expect('eventId' in read).toBe(false);
  });

  it('cuts a very long detail so the record stays small', () => {
    const long = { ...letter, detail: 'data.items[0].content: must be a string; '.repeat(1000) };
    const detail = toDeadLetterRecord(long, failedAt).headers?.[DEAD_LETTER_HEADERS.detail] ?? '';
    expect(detail).toHaveLength(MAX_DETAIL_CHARACTERS);
    expect(detail.endsWith('…')).toBe(true);
    expect(long.detail.startsWith(detail.slice(0, -1))).toBe(true);
  });
});
