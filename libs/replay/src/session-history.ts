import { Injectable } from '@nestjs/common';
import { SessionEvent, SessionProjection } from '@app/domain';
import { EventArchive, ViewGenerations } from '@app/ports';
import { foldArchivedSession } from '@app/projection';

export type PointInHistory = { atSeq: number } | { at: string };

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
    return foldArchivedSession(this.archive, sessionId, store.maxDocumentBytes, bound);
  }
}
