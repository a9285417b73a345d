import { instantKey } from '@app/domain';
import type { SessionEvent } from '@app/domain';
import type { Filter, IndexDescription } from 'mongodb';
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

/**
 * How archived events were stored before they were native documents: the event as one JSON string, `occurred_at`
 * holding the instant key. Still read, so an archive written then needs no migration; nothing writes it any more.
 */
export interface LegacyArchiveDocument {
  _id: string;
  session_id: string;
  seq: number;
  occurred_at: string;
  archived_at: Date;
  event: string;
}

/** Events at or before `instantKey`, in either form. */
export function occurredUntil(key: string): Filter<ArchiveDocument> {
  return {
    $or: [
      { occurred_at_key: { $lte: key } },
      { occurred_at_key: { $exists: false }, event: { $type: 'string' }, occurred_at: { $lte: key } },
    ],
  } as Filter<ArchiveDocument>;
}

export function fromArchiveDocument(document: ArchiveDocument | LegacyArchiveDocument): SessionEvent {
  if ('event' in document && typeof document.event === 'string')
    return JSON.parse(document.event) as SessionEvent;
  const {
    _id,
    data,
    occurred_at_key: _orderKey,
    archived_at: _archivedAt,
    ...envelope
  } = document as ArchiveDocument;
  return { event_id: _id, ...envelope, data: unescapeDocumentKeys(data) } as SessionEvent;
}
