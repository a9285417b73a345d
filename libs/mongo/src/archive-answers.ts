import { canonicalJson } from '@app/domain';
import type { SessionEvent } from '@app/domain';
import type { ArchiveConflict } from '@app/ports';
import type { ArchiveDocument } from './archive-document';

/** An archived event as a re-read sees it: where it sits, which call stored it, and what it says. */
export type ArchiveHolder = Pick<ArchiveDocument, '_id' | 'session_id' | 'seq' | 'write_token' | 'event'>;

export interface ArchiveAnswers {
  stored: number;
  duplicates: number;
  conflicts: ArchiveConflict[];
  unattempted: SessionEvent[];
}

/**
 * The holders of a batch's event_ids and (session_id, seq) places answer each event: the same event stored by
 * this call (its token) or by an earlier one (a duplicate), its id and place holding other content, another event in its place or elsewhere with its id (a
 * conflict naming that event), or nothing yet: never attempted.
 */
export function answerAppends(
  events: readonly SessionEvent[],
  holders: readonly ArchiveHolder[],
  token: string,
): ArchiveAnswers {
  const byEventId = new Map(holders.map((holder) => [holder._id, holder]));
  const byPlace = new Map(holders.map((holder) => [placeOf(holder.session_id, holder.seq), holder]));
  const answers: ArchiveAnswers = { stored: 0, duplicates: 0, conflicts: [], unattempted: [] };
  for (const event of events) {
    const atPlace = byPlace.get(placeOf(event.session_id, event.seq));
    if (atPlace?._id === event.event_id) {
      // Same id at the same place is a retry only with the same content; a batch may even carry both versions.
      if (canonicalJson(JSON.parse(atPlace.event)) !== canonicalJson(event)) {
        answers.conflicts.push({ event, reason: 'content_differs', existingEventId: event.event_id });
      } else if (atPlace.write_token === token) answers.stored += 1;
      else answers.duplicates += 1;
    } else if (atPlace) {
      answers.conflicts.push({ event, reason: 'seq_taken', existingEventId: atPlace._id });
    } else if (byEventId.has(event.event_id)) {
      answers.conflicts.push({ event, reason: 'event_id_taken', existingEventId: event.event_id });
    } else {
      answers.unattempted.push(event);
    }
  }
  return answers;
}

/** A redelivery may repeat an event within one batch: verbatim repeats are duplicates and need no round trip. */
export function withoutRepeats(events: readonly SessionEvent[]): {
  distinct: SessionEvent[];
  repeats: number;
} {
  const seen = new Set<string>();
  const distinct = events.filter((event) => {
    const identity = canonicalJson(event);
    if (seen.has(identity)) return false;
    seen.add(identity);
    return true;
  });
  return { distinct, repeats: events.length - distinct.length };
}

function placeOf(sessionId: string, seq: number): string {
  return JSON.stringify([sessionId, seq]);
}
