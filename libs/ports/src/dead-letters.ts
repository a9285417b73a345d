export enum DeadLetterReason {
  /** Not JSON, or not a valid event of a known type and schema version. */
  InvalidEvent = 'invalid_event',
  /** Valid on its own but impossible for its session (no session.created yet, created twice, ...). */
  FoldRejected = 'fold_rejected',
  /** Another event already holds this (session_id, seq) or this event_id. */
  ArchiveConflict = 'archive_conflict',
  /** The folded view would exceed the store's document size limit. */
  ViewTooLarge = 'view_too_large',
}

/** Where a dead letter came from, so an operator can find and replay it. */
export interface DeadLetterSource {
  topic: string;
  partition?: number;
  offset?: string;
}

export interface DeadLetter {
  /** The original bytes, untouched, so the record can be fixed and re-published. */
  payload: Buffer;
  key: string | null;
  reason: DeadLetterReason;
  /** Human-readable detail: every offending field path, the conflicting event id, the size. */
  detail: string;
  source: DeadLetterSource;
  sessionId?: string;
  eventId?: string;
}

/** A dead letter as an operator finds it in its destination. */
export interface StoredDeadLetter extends DeadLetter {
  /** Stable within its destination: the table's row id, or `<partition>:<offset>` in the dead-letter topic. */
  id: string;
  /** When the projector gave up on it, ISO 8601. */
  failedAt: string;
  /** When an operator sent it back through the projector; if it failed again, it is a new letter of its own. */
  redrivenAt?: string;
}

export interface DeadLetterQuery {
  reason?: DeadLetterReason;
  sessionId?: string;
  /** Letters already re-driven are left out unless asked for. */
  includeRedriven?: boolean;
  /** At most this many, oldest first. */
  limit?: number;
}

export const DEFAULT_DEAD_LETTER_LIST_LIMIT = 100;

/** The one reading of a query, applied by every adapter to the letters it holds, oldest first. */
export function selectDeadLetters(
  letters: Iterable<StoredDeadLetter>,
  {
    reason,
    sessionId,
    includeRedriven = false,
    limit = DEFAULT_DEAD_LETTER_LIST_LIMIT,
  }: DeadLetterQuery = {},
): StoredDeadLetter[] {
  const selected: StoredDeadLetter[] = [];
  for (const letter of letters) {
    if (selected.length >= limit) break;
    if (reason !== undefined && letter.reason !== reason) continue;
    if (sessionId !== undefined && letter.sessionId !== sessionId) continue;
    if (!includeRedriven && letter.redrivenAt !== undefined) continue;
    selected.push(letter);
  }
  return selected;
}

/** A Kafka dead-letter topic (reason in headers) in production, a SQLite table when embedded. */
/**
 * A dead letter's payload as text when its bytes are well-formed UTF-8 (a JSON event, however invalid), or undefined
 * when they are not (a record that was never text): readers then show it in base64.
 */
export function payloadText(payload: Buffer): string | undefined {
  const text = payload.toString('utf8');
  return Buffer.from(text, 'utf8').equals(payload) ? text : undefined;
}

export abstract class DeadLetterSink {
  /** Resolves once every letter is durable: the offsets they cover may then be committed. */
  abstract send(letters: readonly DeadLetter[]): Promise<void>;

  /** The letters the query selects, oldest first. */
  abstract list(query?: DeadLetterQuery): Promise<StoredDeadLetter[]>;

  /** One letter by its id; undefined when there is none (or the id is not one this destination hands out). */
  abstract show(id: string): Promise<StoredDeadLetter | undefined>;

  /** Records that the letter was sent back through the projector; durable when it resolves. */
  abstract markRedriven(id: string, at: Date): Promise<void>;
}
