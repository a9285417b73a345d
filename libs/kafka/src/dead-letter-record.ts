import { DeadLetter, DeadLetterReason, DeadLetterSource } from '@app/ports';

/** Header names on dead-letter records; the value stays the original bytes, so a fixed record can be re-published. */
export const DEAD_LETTER_HEADERS = {
  reason: 'dlq-reason',
  detail: 'dlq-detail',
  sourceTopic: 'dlq-source-topic',
  sourcePartition: 'dlq-source-partition',
  sourceOffset: 'dlq-source-offset',
  failedAt: 'dlq-failed-at',
  sessionId: 'dlq-session-id',
  eventId: 'dlq-event-id',
  /** On a marker record, not a letter: the id of the letter an operator re-drove, and when. */
  redrivenId: 'dlq-redriven-id',
  redrivenAt: 'dlq-redriven-at',
} as const;

// A detail lists every offending field path; an event with thousands of bad fields must not make the
// dead-letter record itself too large to produce.
export const MAX_DETAIL_CHARACTERS = 4096;

export function toDeadLetterRecord(letter: DeadLetter, failedAt: Date): OutgoingRecord {
  const headers: Record<string, string> = {
    [DEAD_LETTER_HEADERS.reason]: letter.reason,
    [DEAD_LETTER_HEADERS.detail]: truncate(letter.detail, MAX_DETAIL_CHARACTERS),
    [DEAD_LETTER_HEADERS.sourceTopic]: letter.source.topic,
    [DEAD_LETTER_HEADERS.failedAt]: failedAt.toISOString(),
  };
  if (letter.source.partition !== undefined)
    headers[DEAD_LETTER_HEADERS.sourcePartition] = String(letter.source.partition);
  if (letter.source.offset !== undefined) headers[DEAD_LETTER_HEADERS.sourceOffset] = letter.source.offset;
  if (letter.sessionId !== undefined) headers[DEAD_LETTER_HEADERS.sessionId] = letter.sessionId;
  if (letter.eventId !== undefined) headers[DEAD_LETTER_HEADERS.eventId] = letter.eventId;
  return { key: letter.key, value: letter.payload, headers };
}

export interface ReadDeadLetter extends DeadLetter {
  failedAt: string;
}

/** A record read back from the dead-letter topic; header values arrive as bytes, possibly repeated. */
export interface IncomingDeadLetterRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers?: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
}

/**
 * The dead-letter topic is append-only, so a re-drive is recorded as a marker record in it: no payload, the letter's
 * id and the time in headers. Readers fold markers into the letters they name.
 */
export function toRedrivenMarker(id: string, at: Date): OutgoingRecord {
  return {
    key: null,
    value: Buffer.alloc(0),
    headers: { [DEAD_LETTER_HEADERS.redrivenId]: id, [DEAD_LETTER_HEADERS.redrivenAt]: at.toISOString() },
  };
}

/** The letter id and time a marker record carries; undefined for a dead letter. */
export function redrivenMarkerOf(record: IncomingDeadLetterRecord): { id: string; at: string } | undefined {
  const id = headerOf(record, DEAD_LETTER_HEADERS.redrivenId);
  if (id === undefined) return undefined;
  return { id, at: headerOf(record, DEAD_LETTER_HEADERS.redrivenAt) ?? '' };
}

function headerOf(record: IncomingDeadLetterRecord, name: string): string | undefined {
  const value = record.headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

/** The inverse of `toDeadLetterRecord`, for operators' tools that list and replay dead letters. */
export function fromDeadLetterRecord(record: IncomingDeadLetterRecord): ReadDeadLetter {
  const header = (name: string): string | undefined => headerOf(record, name);
  const source: DeadLetterSource = { topic: header(DEAD_LETTER_HEADERS.sourceTopic) ?? '' };
  const partition = header(DEAD_LETTER_HEADERS.sourcePartition);
  if (partition !== undefined) source.partition = Number(partition);
  const offset = header(DEAD_LETTER_HEADERS.sourceOffset);
  if (offset !== undefined) source.offset = offset;
  const letter: ReadDeadLetter = {
    payload: record.value ?? Buffer.alloc(0),
    key: record.key === null ? null : record.key.toString(),
    reason: header(DEAD_LETTER_HEADERS.reason) as DeadLetterReason,
    detail: header(DEAD_LETTER_HEADERS.detail) ?? '',
    source,
    failedAt: header(DEAD_LETTER_HEADERS.failedAt) ?? '',
  };
  const sessionId = header(DEAD_LETTER_HEADERS.sessionId);
  if (sessionId !== undefined) letter.sessionId = sessionId;
  const eventId = header(DEAD_LETTER_HEADERS.eventId);
  if (eventId !== undefined) letter.eventId = eventId;
  return letter;
}

function truncate(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}
import { OutgoingRecord } from '@app/kafka-log';
