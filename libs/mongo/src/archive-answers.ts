import type { SessionEvent } from '@app/domain';
import type { ArchiveConflict } from '@app/ports';
import type { ArchiveDocument } from './archive-document';

/** An archived event as a re-read sees it: where it sits and which call stored it. */
export type ArchiveHolder = Pick<ArchiveDocument, '_id' | 'session_id' | 'seq' | 'write_token'>;

export interface ArchiveAnswers {
  stored: number;
  duplicates: number;
  conflicts: ArchiveConflict[];
  unattempted: SessionEvent[];
}

/**
 * The holders of a batch's event_ids and (session_id, seq) places answer each event: the same event stored by
 * this call (its token) or by an earlier one (a duplicate), another event in its place or elsewhere with its id (a
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
      if (atPlace.write_token === token) answers.stored += 1;
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

/** A redelivery may repeat an event within one batch: the repeats are duplicates and need no round trip. */
export function withoutRepeats(events: readonly SessionEvent[]): {
  distinct: SessionEvent[];
  repeats: number;
} {
  const seen = new Set<string>();
  const distinct = events.filter((event) => {
    const identity = JSON.stringify([event.event_id, event.session_id, event.seq]);
    if (seen.has(identity)) return false;
    seen.add(identity);
    return true;
  });
  return { distinct, repeats: events.length - distinct.length };
}

function placeOf(sessionId: string, seq: number): string {
  return JSON.stringify([sessionId, seq]);
}
