import { SessionView } from '@app/domain';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ActiveViews } from '../active-views';
import { ListSessionsParams } from '../dto/session-params';
import { decodeCursor, encodeCursor } from '../session-list-cursor';
import { shapeView } from '../session-view-shape';

/** The seed's list body. */
export interface SessionList {
  sessions: SessionView[];
  total: number;
}

export interface SessionPage {
  list: SessionList;
  /** Where the next page starts; null when this page was not full, so no session can follow it. */
  nextCursor: string | null;
}

export class ListSessionsQuery extends Query<SessionPage> {
  constructor(
    readonly userId: string,
    readonly params: ListSessionsParams,
  ) {
    super();
  }
}

@QueryHandler(ListSessionsQuery)
export class ListSessionsHandler implements IQueryHandler<ListSessionsQuery> {
  constructor(private readonly views: ActiveViews) {}

  async execute({ userId, params }: ListSessionsQuery): Promise<SessionPage> {
    const store = await this.views.store();
    const page = await store.list({
      userId,
      agentId: params.agent_id,
      limit: params.limit,
      offset: params.offset,
      isRunning: params.is_running,
      status: params.status,
      source: params.source,
      teamId: params.team_id,
      updatedAfter: params.updated_after,
      after: params.cursor === undefined ? undefined : decodeCursor(params.cursor),
    });
    // The store filters by owner already; checking again here means no adapter bug can show one user another's.
    const visible = page.items.filter((item) => !item.deleted && item.view.session.user_id === userId);
    const last = page.items[page.items.length - 1];
    return {
      list: { sessions: visible.map((item) => shapeView(item.view, params.view)), total: page.total },
      nextCursor:
        last !== undefined && page.items.length === params.limit
          ? encodeCursor({ updatedAt: last.view.session.updated_at, sessionId: last.session_id })
          : null,
    };
  }
}
