import { Injectable } from '@nestjs/common';
import { SessionEvent, SessionProjection } from '@app/domain';
import { EventArchive, ViewGenerations } from '@app/ports';
import { boundedFold, foldArchivedSession } from '@app/projection';

export type PointInHistory = { atSeq: number } | { at: string };

/** Audit reads: a session's events as recorded, and its view as it was at a seq or an instant. */
@Injectable()
export class SessionHistory {
  constructor(
    private readonly archive: EventArchive,
    private readonly generations: ViewGenerations,
  ) {}

  /**
   * The session's archived events that the fold accepted, in seq order. An event it refused (another user's
   * session.created for this session, say) never shaped the view and was dead-lettered, so it is not part of the
   * owner's history. Whether an event applies depends on every event before it, so the page is folded on top of
   * the fold of everything up to `afterSeq`, and read on until `limit` accepted events are found.
   */
  async events(sessionId: string, page: { afterSeq: number; limit: number }): Promise<SessionEvent[]> {
    const { maxDocumentBytes } = this.generations.store(await this.generations.active());
    let projection = await foldArchivedSession(this.archive, sessionId, maxDocumentBytes, {
      untilSeq: page.afterSeq,
    });
    const accepted: SessionEvent[] = [];
    let afterSeq = page.afterSeq;
    while (accepted.length < page.limit) {
      const events = await this.archive.history(sessionId, { afterSeq, limit: page.limit - accepted.length });
      if (events.length === 0) break;
      const fold = boundedFold(projection, events, maxDocumentBytes);
      const refused = new Set([
        ...fold.rejected.map((rejection) => rejection.event_id),
        ...fold.oversized.map(({ event }) => event.event_id),
      ]);
      accepted.push(...events.filter((event) => !refused.has(event.event_id)));
      projection = fold.projection;
      afterSeq = events[events.length - 1].seq;
    }
    return accepted;
  }

  /**
   * Folds the archived prefix, in seq order, with the projector's bounded fold. At the latest seq this equals the
   * live view, except for a session whose missing seq arrived after a later one: the live fold skipped it as a
   * duplicate while history, like a rebuild, applies it in place (`verify` reports such sessions).
   * Undefined when the session did not exist yet at that point.
   */
  async stateAt(sessionId: string, point: PointInHistory): Promise<SessionProjection | undefined> {
    const store = this.generations.store(await this.generations.active());
    const bound = 'atSeq' in point ? { untilSeq: point.atSeq } : { until: point.at };
    return foldArchivedSession(this.archive, sessionId, store.maxDocumentBytes, bound);
  }
}
