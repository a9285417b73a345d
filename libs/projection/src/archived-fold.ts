import { SessionEvent, SessionProjection } from '@app/domain';
import { EventArchive, HistoryRange } from '@app/ports';
import { boundedFold } from './bounded-fold';

/** How many archived events one read fetches while walking a session's history. */
const HISTORY_PAGE = 1000;

export type HistoryBound = Pick<HistoryRange, 'untilSeq' | 'until'>;

/** Every archived event of a session within `bound`, in seq order. */
export async function archivedHistory(
  archive: EventArchive,
  sessionId: string,
  bound: HistoryBound = {},
): Promise<SessionEvent[]> {
  const events: SessionEvent[] = [];
  for (;;) {
    const afterSeq = events.at(-1)?.seq ?? 0;
    const page = await archive.history(sessionId, { ...bound, afterSeq, limit: HISTORY_PAGE });
    events.push(...page);
    if (page.length < HISTORY_PAGE) return events;
  }
}

/** A session folded from its archive in seq order, as a rebuild would; undefined if nothing applies. */
export async function foldArchivedSession(
  archive: EventArchive,
  sessionId: string,
  maxDocumentBytes: number,
  bound: HistoryBound = {},
): Promise<SessionProjection | undefined> {
  return boundedFold(undefined, await archivedHistory(archive, sessionId, bound), maxDocumentBytes)
    .projection;
}
