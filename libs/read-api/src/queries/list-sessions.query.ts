import { SessionView } from '@app/domain';
import { RequestValidationError } from '@app/http';
import { listFiltersOf, listPositionOf, SessionListPosition } from '@app/ports';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ActiveViews } from '../active-views';
import { ListSessionsParams, UNPAGED_LIST_LIMIT } from '../dto/session-params';
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
    const limit = params.limit ?? UNPAGED_LIST_LIMIT;
    const page = await store.list({
      userId,
      agentId: params.agent_id,
      limit,
      offset: params.offset,
      order: params.order,
      filters: listFiltersOf(params),
      after: cursorPosition(params),
    });
    // The store filters by owner already; checking again here means no adapter bug can show one user another's.
    const visible = page.items.filter((item) => !item.deleted && item.view.session.user_id === userId);
    const last = page.items[page.items.length - 1];
    return {
      list: { sessions: visible.map((item) => shapeView(item.view, params.view)), total: page.total },
      nextCursor:
        last !== undefined && page.items.length === limit
          ? encodeCursor(listPositionOf(last, params.order))
          : null,
    };
  }
}

/** A cursor names a place in the order it was handed out for; in another order it names none. */
function cursorPosition(params: ListSessionsParams): SessionListPosition | undefined {
  if (params.cursor === undefined) return undefined;
  const position = decodeCursor(params.cursor)!;
  if (position.order === params.order) return position;
  throw new RequestValidationError([
    {
      type: 'value_error',
      loc: ['query', 'cursor'],
      msg: `Value error, a cursor of the '${position.order}' order cannot page the '${params.order}' order`,
      input: params.cursor,
    },
  ]);
}
