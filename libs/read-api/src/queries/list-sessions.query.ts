import { definedEntityTag, RequestValidationError } from '@app/http';
import {
  listedViewText,
  listFiltersOf,
  listPaging,
  SessionListPosition,
  SessionListQuery,
  SessionListTextPage,
  ViewStore,
} from '@app/ports';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ActiveViews } from '../active-views';
import { PrebuiltJson } from '../prebuilt-json';
import { ListSessionsParams, UNPAGED_LIST_LIMIT } from '../dto/session-params';
import { decodeCursor, encodeCursor } from '../session-list-cursor';
import { shapeView, ViewShape } from '../session-view-shape';

/** `body`: the seed's list body, `{sessions, total}`, with the stored view texts spliced in as they are. */
export interface SessionPage extends PrebuiltJson {
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
    const { generation, store } = await this.views.current();
    const limit = params.limit ?? UNPAGED_LIST_LIMIT;
    const query: SessionListQuery = {
      userId,
      agentId: params.agent_id,
      limit,
      offset: params.offset,
      order: params.order,
      filters: listFiltersOf(params),
      after: cursorPosition(params),
    };
    const page = await pageOf(store, query, params.view);
    // The store filters by owner already; checking again here means no adapter bug can show one user another's.
    const visible = page.items.filter((item) => !item.deleted && item.userId === userId);
    const last = page.items[page.items.length - 1];
    return {
      body: `{"sessions":[${visible.map((item) => item.viewJson).join(',')}],"total":${page.total}}`,
      // A view is a function of its generation, session and version (the fold applies nothing at or below the
      // version), so these name the body without reading it.
      entityTag: definedEntityTag([
        userId,
        params,
        generation,
        page.total,
        visible.map((item) => [item.sessionId, item.version]),
      ]),
      nextCursor: last !== undefined && page.items.length === limit ? encodeCursor(last.position) : null,
    };
  }
}

/** Full views as the store keeps their text; summaries parsed and trimmed. */
async function pageOf(
  store: ViewStore,
  query: SessionListQuery,
  shape: ViewShape,
): Promise<SessionListTextPage> {
  if (shape === 'full') return store.listViewTexts(query);
  const order = listPaging(query).order;
  const page = await store.list(query);
  return {
    items: page.items.map((projection) =>
      listedViewText(projection, order, shapeView(projection.view, shape)),
    ),
    total: page.total,
  };
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
