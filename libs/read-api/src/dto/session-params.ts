import { MAX_ID_LENGTH, SESSION_SOURCES, SESSION_STATUSES, SessionSource, SessionStatus } from '@app/domain';
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
import { DEFAULT_LIST_ORDER, LIST_ORDERS, ListOrder } from '@app/ports';
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

export class ListSessionsParams extends AgentSessionsParams {
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

  @OptionalBoolean()
  is_running?: boolean;

  @OptionalEnum(SESSION_STATUSES)
  status?: SessionStatus;

  @OptionalEnum(SESSION_SOURCES)
  source?: SessionSource;

  @OptionalText(MAX_ID_LENGTH)
  team_id?: string;

  @Described('Only sessions updated after this instant (RFC 3339 with a timezone; exclusive).')
  @OptionalZonedDateTime()
  updated_after?: string;

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
