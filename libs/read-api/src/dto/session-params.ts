import { MAX_ID_LENGTH } from '@app/domain';
import {
  Described,
  InHeader,
  InPath,
  OptionalBoolean,
  OptionalEnum,
  OptionalInteger,
  OptionalText,
  OptionalZonedDateTime,
  RequiredString,
  RequiredText,
  Satisfies,
} from '@app/http';
import { DEFAULT_LIST_ORDER, LIST_ORDERS, ListOrder, VIEW_FIELDS, ViewFieldSpec } from '@app/ports';
import { decodeCursor, MAX_CURSOR_LENGTH } from '../session-list-cursor';
import { VIEW_SHAPES, ViewShape } from '../session-view-shape';

// One class per request: every parameter of the route (path, query, headers) with its rules, read by `@Parameters()`
// for validation and for the OpenAPI document alike. The origin's parameters come first; FastAPI reports issues in
// declaration order.

export const MAX_PAGE_SIZE = 200;
/**
 * Sessions a list without `limit` holds. The origin answers every session of the agent at once, so a client written
 * for it never pages: without `limit` this store does the same up to this bound, which keeps one answer's size in
 * check, and past it links the next page.
 */
export const UNPAGED_LIST_LIMIT = 1000;
/** Deep offsets cost the store a scan of everything skipped; the cursor pages any depth at the same cost. */
export const MAX_OFFSET = 10_000;

/** What every read of an agent's sessions names: the agent, and how much of each view to send. */
export class AgentSessionsParams {
  // The origin's `agent_id: str = Query(...)`: any string, the empty one included (no session has it).
  @Described('Filter sessions by agent ID.')
  @RequiredString()
  agent_id!: string;

  @Described(
    '`summary` sends the same keys with `state.context` [], `state.summary` "" and `state.tool_context.read_file_cache` [].',
  )
  @OptionalEnum(VIEW_SHAPES)
  view: ViewShape = 'full';
}

class ListPagingParams extends AgentSessionsParams {
  @Described(
    `Sessions per page. Without it, every session of the agent up to ${UNPAGED_LIST_LIMIT}, as the origin answers (a \`Link\` names the rest).`,
  )
  @OptionalInteger({ min: 1, max: MAX_PAGE_SIZE })
  limit?: number;

  @Described(
    'Sessions to skip. Pages by offset shift when sessions are written meanwhile; `cursor` does not.',
  )
  @OptionalInteger({ min: 0, max: MAX_OFFSET })
  offset: number = 0;

  @Described(
    'Start after the last session of a previous page: the `cursor` of the `Link: <...>; rel="next"` header of a full page, requested with the same `order`.',
  )
  @OptionalText(MAX_CURSOR_LENGTH)
  @Satisfies(
    'isSessionListCursor',
    (value) => typeof value !== 'string' || decodeCursor(value) !== undefined,
    'not a cursor this API handed out',
  )
  cursor?: string;
}

/**
 * The list's filters, one parameter per filter of the view field table (libs/ports/src/view-fields.ts), declared
 * from the table so that a new filterable field needs no edit here: its rule follows from the field's type. They
 * sit between the paging parameters and `order`, which is the order FastAPI reports their issues in.
 */
class ListFilterParams extends ListPagingParams {}
for (const spec of Object.values(VIEW_FIELDS) as ViewFieldSpec[]) {
  if (spec.filter === undefined) continue;
  for (const decorate of [
    filterRule(spec),
    ...(spec.filter.description ? [Described(spec.filter.description)] : []),
  ]) {
    decorate(ListFilterParams.prototype, spec.filter.param);
  }
}

function filterRule(spec: ViewFieldSpec): PropertyDecorator {
  switch (spec.type) {
    case 'boolean':
      return OptionalBoolean();
    case 'instant':
      return OptionalZonedDateTime();
    case 'text':
      return spec.values ? OptionalEnum(spec.values) : OptionalText(MAX_ID_LENGTH);
  }
}

export class ListSessionsParams extends ListFilterParams {
  @Described(
    '`created` (the origin\'s order): newest `session.created_at` first. `updated`: newest `session.updated_at` first, for "recently active" lists. Ties by ascending session id.',
  )
  @OptionalEnum(LIST_ORDERS)
  order: ListOrder = DEFAULT_LIST_ORDER;
}

export class SessionIdParams {
  @InPath()
  @RequiredText(MAX_ID_LENGTH)
  session_id!: string;
}

/** Longest Last-Event-ID accepted: Kafka positions name an offset per partition. */
export const MAX_LAST_EVENT_ID_LENGTH = 4096;

export class WatchChangesParams extends AgentSessionsParams {
  @Described('Resume after this event id (the `id` of the last event received).')
  @InHeader()
  @OptionalText(MAX_LAST_EVENT_ID_LENGTH)
  'last-event-id'?: string;
}
