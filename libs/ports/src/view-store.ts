import { instantKey } from '@app/domain';
import type { SessionProjection, SessionView } from '@app/domain';
import {
  DEFAULT_LIST_ORDER,
  ListFilters,
  ListOrder,
  orderField,
  orderValue,
  ViewFieldName,
} from './view-fields';

/** A projection to store, guarded by the version the writer read: a stale writer must re-read and re-fold. */
export interface ViewWrite {
  projection: SessionProjection;
  /** The stored version the fold started from; null when the session had no stored projection. */
  expectedVersion: number | null;
  /** `JSON.stringify(projection)` when the writer already has it (it measured the size); a store may use it. */
  projectionJson?: string;
}

export interface ViewWriteResult {
  written: number;
  /** Sessions whose stored version no longer matched expectedVersion; nothing was written for them. */
  conflicts: string[];
}

export interface SessionListQuery {
  userId: string;
  agentId: string;
  limit: number;
  offset: number;
  /** Default DEFAULT_LIST_ORDER. */
  order?: ListOrder;
  /** Optional narrowing, one entry per filterable field of VIEW_FIELDS. */
  filters?: ListFilters;
  /**
   * Keyset paging: only sessions that come after this one in list order, i.e. with an earlier instant of the order's
   * field, or the same instant and a greater session id. Unlike an offset, it does not shift when other sessions are
   * written between two pages. Does not narrow `total`. Its order must be the query's.
   */
  after?: SessionListPosition;
}

/** A session's place in one list order: the instant of the order's field (as the view holds it) and its id. */
export interface SessionListPosition {
  order: ListOrder;
  at: string;
  sessionId: string;
}

export function listPositionOf(projection: SessionProjection, order: ListOrder): SessionListPosition {
  return { order, at: orderValue(projection, order), sessionId: projection.session_id };
}

/** A position belongs to the order it was taken in: in another order it names no place at all. */
export class ListPositionOrderError extends Error {
  constructor(
    readonly positionOrder: ListOrder,
    readonly queryOrder: ListOrder,
  ) {
    super(`a position in the '${positionOrder}' order cannot page a list in the '${queryOrder}' order`);
    this.name = ListPositionOrderError.name;
  }
}

/** What a store needs to page a list query: its order's field and, for a keyset page, the stored bound. */
export interface ListPaging {
  order: ListOrder;
  orderField: ViewFieldName;
  after?: { key: string; sessionId: string };
}

export function listPaging(query: SessionListQuery): ListPaging {
  const order = query.order ?? DEFAULT_LIST_ORDER;
  const field = orderField(order);
  if (query.after === undefined) return { order, orderField: field };
  if (query.after.order !== order) throw new ListPositionOrderError(query.after.order, order);
  return {
    order,
    orderField: field,
    after: { key: instantKey(query.after.at), sessionId: query.after.sessionId },
  };
}

export interface SessionListPage {
  /** In the query's order, ties broken by ascending session id so pages are stable. Deleted sessions excluded. */
  items: SessionProjection[];
  /** Every matching session, not just this page. */
  total: number;
}

/**
 * One session's SessionView as JSON text, for a read side that splices the text into its body. `userId` and
 * `deleted` are read from the stored projection itself, not from the columns the query filtered on, so the read
 * side's own isolation check does not trust the filter it is checking.
 */
export interface StoredViewText {
  sessionId: string;
  version: number;
  userId: string;
  deleted: boolean;
  viewJson: string;
}

/** A listed session's view text, with its place in the query's order for the next page's cursor. */
export interface ListedViewText extends StoredViewText {
  position: SessionListPosition;
}

/** A SessionListPage whose views are JSON text. */
export interface SessionListTextPage {
  items: ListedViewText[];
  total: number;
}

/** A parsed projection as a view text; `view` stands for the projection's own when it is sent trimmed. */
export function storedViewText(
  projection: SessionProjection,
  view: SessionView = projection.view,
): StoredViewText {
  return {
    sessionId: projection.session_id,
    version: projection.version,
    userId: projection.view.session.user_id,
    deleted: projection.deleted,
    viewJson: JSON.stringify(view),
  };
}

export function listedViewText(
  projection: SessionProjection,
  order: ListOrder,
  view: SessionView = projection.view,
): ListedViewText {
  return { ...storedViewText(projection, view), position: listPositionOf(projection, order) };
}

/** The SessionView projections of one generation (a MongoDB collection, a SQLite table). */
export abstract class ViewStore {
  /** A projection whose JSON is larger than this cannot be stored (MongoDB's 16 MiB BSON limit, less headroom). */
  abstract readonly maxDocumentBytes: number;
  /**
   * With `ownerId`, the store's query matches (user_id, session id), so another user's session costs what an
   * unknown one does and is answered alike: null.
   */
  abstract get(sessionId: string, ownerId?: string): Promise<SessionProjection | null>;
  abstract getMany(sessionIds: readonly string[]): Promise<Map<string, SessionProjection>>;
  abstract writeMany(writes: readonly ViewWrite[]): Promise<ViewWriteResult>;
  abstract list(query: SessionListQuery): Promise<SessionListPage>;

  /**
   * `get`'s view as JSON text. A store that keeps the text answers it without parsing it; this default serialises
   * the parsed projection, so a store of native documents (MongoDB) reads exactly as `get` does.
   */
  async getViewText(sessionId: string, ownerId?: string): Promise<StoredViewText | null> {
    const projection = await this.get(sessionId, ownerId);
    return projection === null ? null : storedViewText(projection);
  }

  /**
   * `list`'s page with each view as JSON text. A store that keeps the text answers it without parsing it; this
   * default serialises the parsed page, so a store of native documents (MongoDB) reads exactly as `list` does.
   */
  async listViewTexts(query: SessionListQuery): Promise<SessionListTextPage> {
    const order = listPaging(query).order;
    const page = await this.list(query);
    return { items: page.items.map((projection) => listedViewText(projection, order)), total: page.total };
  }
}
