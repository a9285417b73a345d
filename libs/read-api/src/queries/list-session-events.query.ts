import { SessionEvent } from '@app/domain';
import { SessionHistory } from '@app/replay';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { SessionEventsParams } from '../dto/session-history-params';
import { OwnedSessions } from '../owned-sessions';

/** A page of a session's archived events, in seq order. */
export interface SessionEventPage {
  events: SessionEvent[];
  /** `after_seq` for the next page; null when this page was not full. */
  next_after_seq: number | null;
}

export class ListSessionEventsQuery extends Query<SessionEventPage> {
  constructor(
    readonly userId: string,
    readonly sessionId: string,
    readonly params: SessionEventsParams,
  ) {
    super();
  }
}

@QueryHandler(ListSessionEventsQuery)
export class ListSessionEventsHandler implements IQueryHandler<ListSessionEventsQuery> {
  constructor(
    private readonly sessions: OwnedSessions,
    private readonly history: SessionHistory,
  ) {}

  async execute({ userId, sessionId, params }: ListSessionEventsQuery): Promise<SessionEventPage> {
    await this.sessions.projection(userId, sessionId, { includeDeleted: true });
    const events = await this.history.events(sessionId, { afterSeq: params.after_seq, limit: params.limit });
    return { events, next_after_seq: events.length === params.limit ? events[events.length - 1].seq : null };
  }
}
