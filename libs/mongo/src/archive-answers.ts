import { canonicalJson } from '@app/domain';
import type { SessionEvent } from '@app/domain';
import { ArchivedEvent, archivePlaceKey, classifyArchiveAppend } from '@app/ports';
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
 * The holders of a batch's event_ids and (session_id, seq) places answer each event by the archive's one rule
 * (classifyArchiveAppend); a "duplicate" whose holder carries this call's token was stored by this call. An event
 * nothing holds yet was never attempted.
 */
export function answerAppends(
  events: readonly SessionEvent[],
  holders: readonly ArchiveHolder[],
  token: string,
): ArchiveAnswers {
  const byEventId = new Map(holders.map((holder) => [holder._id, holder]));
  const byPlace = new Map(holders.map((holder) => [archivePlaceKey(holder.session_id, holder.seq), holder]));
  const answers: ArchiveAnswers = { stored: 0, duplicates: 0, conflicts: [], unattempted: [] };
  for (const event of events) {
    const withEventId = byEventId.get(event.event_id);
    const atPlace = byPlace.get(archivePlaceKey(event.session_id, event.seq));
    if (withEventId === undefined && atPlace === undefined) {
      answers.unattempted.push(event);
      continue;
    }
    const verdict = classifyArchiveAppend(event, {
      withEventId: withEventId && archivedEvent(withEventId),
      atPlace: atPlace && archivedEvent(atPlace),
    });
    if (verdict.kind === 'conflict') {
      answers.conflicts.push({ event, reason: verdict.reason, existingEventId: verdict.existingEventId });
    } else if (withEventId?.write_token === token) {
      answers.stored += 1;
    } else {
      answers.duplicates += 1;
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

function archivedEvent(holder: ArchiveHolder): ArchivedEvent {
  return {
    event_id: holder._id,
    session_id: holder.session_id,
    seq: holder.seq,
    content: () => JSON.parse(holder.event) as unknown,
  };
}
