import { Injectable } from '@nestjs/common';
import { SessionEvent, SessionProjection } from '@app/domain';
import { EventArchive, ViewGenerations } from '@app/ports';
import { boundedFold } from '@app/projection';

export type PointInHistory = { atSeq: number } | { at: string };

/** How many archived events one read fetches while folding a session's history. */
const HISTORY_PAGE = 1000;

/** Audit reads: a session's events as recorded, and its view as it was at a seq or an instant. */
@Injectable()
export class SessionHistory {
  constructor(
    private readonly archive: EventArchive,
    private readonly generations: ViewGenerations,
  ) {}

  events(sessionId: string, page: { afterSeq: number; limit: number }): Promise<SessionEvent[]> {
    return this.archive.history(sessionId, { afterSeq: page.afterSeq, limit: page.limit });
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
    let projection: SessionProjection | undefined;
    let afterSeq = 0;
    for (;;) {
      const page = await this.archive.history(sessionId, { ...bound, afterSeq, limit: HISTORY_PAGE });
      projection = boundedFold(projection, page, store.maxDocumentBytes).projection;
      if (page.length < HISTORY_PAGE) return projection;
      afterSeq = page[page.length - 1].seq;
    }
  }
}
