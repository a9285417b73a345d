import { instantKey } from '@app/domain';
import type { SessionEvent } from '@app/domain';
import type { IndexDescription } from 'mongodb';
import { escapeDocumentKeys, KeyEscapeOptions, unescapeDocumentKeys } from './document-keys';

type Envelope = Omit<SessionEvent, 'event_id' | 'data'>;

/**
 * One archived event as a native document: the envelope's own fields, `_id` = event_id (so the primary key is the
 * event_id uniqueness the archive promises) and `data` a sub-document whose keys MongoDB cannot hold are escaped
 * (document-keys), so the archive can be queried and aggregated with MongoDB's own tools. Two fields are added:
 */
export type ArchiveDocument = Envelope & {
  _id: string;
  data: Record<string, unknown>;
  /** `occurred_at` as an `instantKey`, so that `until` compares instants whatever zone the event was stamped in. */
  occurred_at_key: string;
  archived_at: Date;
};

export const ARCHIVE_INDEXES: IndexDescription[] = [
  // One event per seq of a session; also the order of history() and scan().
  { name: 'session_seq', key: { session_id: 1, seq: 1 }, unique: true },
  // scan({archivedSince}) after a rebuild's switch reads the few recent events, not the whole archive.
  { name: 'archived_at', key: { archived_at: 1 } },
];

export function toArchiveDocument(
  event: SessionEvent,
  archivedAt: Date,
  options: KeyEscapeOptions = {},
): ArchiveDocument {
  const { event_id, data, ...envelope } = event;
  return {
    _id: event_id,
    ...envelope,
    data: escapeDocumentKeys(data as object as Record<string, unknown>, options),
    occurred_at_key: instantKey(event.occurred_at),
    archived_at: archivedAt,
  };
}

export function fromArchiveDocument(document: ArchiveDocument): SessionEvent {
  const { _id, data, occurred_at_key: _orderKey, archived_at: _archivedAt, ...envelope } = document;
  return { event_id: _id, ...envelope, data: unescapeDocumentKeys(data) } as SessionEvent;
}
