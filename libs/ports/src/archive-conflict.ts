import { canonicalJson } from '@app/domain';
import type { SessionEvent } from '@app/domain';
import type { ArchiveConflictReason } from './event-archive';

/** Where an archived event sits. */
export interface ArchivedPlace {
  event_id: string;
  session_id: string;
  seq: number;
}

/** An archived event with its content, read only when its place matches and a retry must be told from an edit. */
export interface ArchivedEvent extends ArchivedPlace {
  content(): unknown;
}

/** What the archive (or the earlier events of a batch) holds under an incoming event's two unique keys. */
export interface ArchiveHolders {
  /** The archived event with the incoming event's event_id. */
  withEventId?: ArchivedEvent;
  /** The archived event at the incoming event's (session_id, seq). */
  atPlace?: ArchivedPlace;
}

export type ArchiveVerdict =
  | { kind: 'new' }
  | { kind: 'duplicate' }
  | { kind: 'conflict'; reason: ArchiveConflictReason; existingEventId: string };

const NEW: ArchiveVerdict = { kind: 'new' };
const DUPLICATE: ArchiveVerdict = { kind: 'duplicate' };

/**
 * The one rule every archive adapter and ingest apply to an incoming event, given what holds its keys.
 *
 * The event_id is looked at first because it is the event's identity: an id held at another place means this
 * event is (or claims to be) one already archived elsewhere, and no choice of seq would make it storable, so a
 * double collision (its seq held by one event, its id by another) is `event_id_taken`. Only an id held at the very
 * same place can be a retry, and only with the same content, compared key-order-insensitively.
 */
export function classifyArchiveAppend(event: SessionEvent, holders: ArchiveHolders): ArchiveVerdict {
  const { withEventId, atPlace } = holders;
  if (withEventId !== undefined) {
    if (withEventId.session_id !== event.session_id || withEventId.seq !== event.seq) {
      return { kind: 'conflict', reason: 'event_id_taken', existingEventId: withEventId.event_id };
    }
    return sameEventContent(withEventId.content(), event)
      ? DUPLICATE
      : { kind: 'conflict', reason: 'content_differs', existingEventId: withEventId.event_id };
  }
  if (atPlace !== undefined)
    return { kind: 'conflict', reason: 'seq_taken', existingEventId: atPlace.event_id };
  return NEW;
}

export function sameEventContent(archived: unknown, event: SessionEvent): boolean {
  return canonicalJson(archived) === canonicalJson(event);
}

/** The key of a (session_id, seq) place in a Map. */
export function archivePlaceKey(sessionId: string, seq: number): string {
  return `${seq}\u0000${sessionId}`;
}
