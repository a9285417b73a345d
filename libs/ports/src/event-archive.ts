import type { SessionEvent } from '@app/domain';

/**
 * seq_taken: another event holds this (session_id, seq). event_id_taken: this event_id is held at another place.
 * content_differs: an event with this event_id, session_id and seq is archived with different content, so this is
 * not a retry of it.
 */
export type ArchiveConflictReason = 'seq_taken' | 'event_id_taken' | 'content_differs';

/** An event the archive refused because another event already holds its (session_id, seq) or its event_id. */
export interface ArchiveConflict {
  event: SessionEvent;
  reason: ArchiveConflictReason;
  existingEventId: string;
}

export interface ArchiveAppendResult {
  stored: number;
  /** The very same event (same event_id at the same session_id and seq, same content) was already archived. */
  duplicates: number;
  conflicts: ArchiveConflict[];
}

export interface HistoryRange {
  afterSeq?: number;
  /** Inclusive upper bound on seq, for time travel to a seq. */
  untilSeq?: number;
  /** Inclusive upper bound on occurred_at (ISO-8601), for time travel to an instant. */
  until?: string;
  limit: number;
}

export interface ArchiveScanOptions {
  /** Opaque cursor from the previous page; null starts at the beginning. */
  cursor: string | null;
  limit: number;
  /** Only events archived at or after this instant (catch-up after a rebuild's switch). */
  archivedSince?: Date;
}

export interface ArchiveScanPage {
  /** Ordered by (session_id, seq), so one session's events are contiguous and in fold order. */
  events: SessionEvent[];
  cursor: string | null;
}

/**
 * Every accepted event, kept forever and unique on (session_id, seq) and on event_id. Audit history, time travel,
 * rebuild and verification read it; nothing reads the views to answer an audit question.
 */
export abstract class EventArchive {
  abstract append(events: readonly SessionEvent[]): Promise<ArchiveAppendResult>;
  abstract history(sessionId: string, range: HistoryRange): Promise<SessionEvent[]>;
  abstract scan(options: ArchiveScanOptions): Promise<ArchiveScanPage>;
  abstract count(): Promise<number>;
}
