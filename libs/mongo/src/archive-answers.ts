import type { SessionEvent } from '@app/domain';
import {
  ArchivedEvent,
  archivePlaceKey,
  ArchiveConflict,
  ArchiveVerdict,
  classifyArchiveAppend,
} from '@app/ports';
import { ArchiveDocument, fromArchiveDocument } from './archive-document';

/**
 * A batch split so that one unordered insert can take the first part whole: `firsts` share no event_id and no
 * (session_id, seq) with each other; each of `later` repeats the id or the place of an earlier event, so its
 * answer depends on what that one became. Found by event_id and place alone: nothing is canonicalised here.
 */
export function splitRepeats(events: readonly SessionEvent[]): {
  firsts: SessionEvent[];
  later: SessionEvent[];
} {
  const ids = new Set<string>();
  const places = new Set<string>();
  const firsts: SessionEvent[] = [];
  const later: SessionEvent[] = [];
  for (const event of events) {
    const place = archivePlaceKey(event.session_id, event.seq);
    if (ids.has(event.event_id) || places.has(place)) {
      later.push(event);
    } else {
      ids.add(event.event_id);
      places.add(place);
      firsts.push(event);
    }
  }
  return { firsts, later };
}

export interface ArchiveAnswers {
  duplicates: number;
  conflicts: ArchiveConflict[];
  /** Events nothing holds: a later event whose first was refused, to insert in the next round. */
  fresh: SessionEvent[];
}

/** The archive's one rule (classifyArchiveAppend) applied to events against the documents holding their keys. */
export function answerFromHolders(
  events: readonly SessionEvent[],
  holders: readonly ArchiveDocument[],
): ArchiveAnswers {
  const byEventId = new Map(holders.map((holder) => [holder._id, holder]));
  const byPlace = new Map(holders.map((holder) => [archivePlaceKey(holder.session_id, holder.seq), holder]));
  const answers: ArchiveAnswers = { duplicates: 0, conflicts: [], fresh: [] };
  for (const event of events) {
    const verdict: ArchiveVerdict = classifyArchiveAppend(event, {
      withEventId: archivedEvent(byEventId.get(event.event_id)),
      atPlace: archivedEvent(byPlace.get(archivePlaceKey(event.session_id, event.seq))),
    });
    if (verdict.kind === 'conflict') {
      answers.conflicts.push({ event, reason: verdict.reason, existingEventId: verdict.existingEventId });
    } else if (verdict.kind === 'duplicate') {
      answers.duplicates += 1;
    } else {
      answers.fresh.push(event);
    }
  }
  return answers;
}

function archivedEvent(holder: ArchiveDocument | undefined): ArchivedEvent | undefined {
  return (
    holder && {
      event_id: holder._id,
      session_id: holder.session_id,
      seq: holder.seq,
      content: () => fromArchiveDocument(holder),
    }
  );
}
