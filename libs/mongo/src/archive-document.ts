import { instantKey } from '@app/domain';
import type { SessionEvent } from '@app/domain';
import type { IndexDescription } from 'mongodb';

/**
 * One archived event. `_id` is the event_id, so the primary key is also the event_id uniqueness the archive
 * promises. The event itself is a JSON string for the reason the views are (see ViewDocument): its data holds
 * free-form objects whose keys FerretDB v1 would refuse.
 */
export interface ArchiveDocument {
  _id: string;
  session_id: string;
  seq: number;
  /** An `instantKey`, so that `until` compares instants rather than strings stamped in different zones. */
  occurred_at: string;
  archived_at: Date;
  /** The append call that stored this event (see newWriteToken). */
  write_token: string;
  event: string;
}

export const ARCHIVE_INDEXES: IndexDescription[] = [
  // One event per seq of a session; also the order of history() and scan().
  { name: 'session_seq', key: { session_id: 1, seq: 1 }, unique: true },
  // scan({archivedSince}) after a rebuild's switch reads the few recent events, not the whole archive.
  { name: 'archived_at', key: { archived_at: 1 } },
];

export function toArchiveDocument(
  event: SessionEvent,
  archivedAt: Date,
  writeToken: string,
): ArchiveDocument {
  return {
    _id: event.event_id,
    session_id: event.session_id,
    seq: event.seq,
    occurred_at: instantKey(event.occurred_at),
    archived_at: archivedAt,
    write_token: writeToken,
    event: JSON.stringify(event),
  };
}

export function fromArchiveDocument(document: Pick<ArchiveDocument, 'event'>): SessionEvent {
  return JSON.parse(document.event) as SessionEvent;
}
