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

/** A Kafka dead-letter topic (reason in headers) in production, a SQLite table when embedded. */
export abstract class DeadLetterSink {
  /** Resolves once every letter is durable: the offsets they cover may then be committed. */
  abstract send(letters: readonly DeadLetter[]): Promise<void>;
}
