import { instantKey } from '@app/domain';
import type { SeqGap, SessionProjection, SessionSource, SessionStatus } from '@app/domain';
import type { SessionListQuery } from '@app/ports';
import type { Filter, IndexDescription } from 'mongodb';

/**
 * One session's projection as stored in a generation collection.
 *
 * The view is kept as a JSON string, not as a nested document: its free-form objects (metadata, model
 * parameters, permission rules, summary schemas) may hold keys with '.' or a leading '$' and arrays of arrays,
 * which FerretDB v1 refuses and which would otherwise need an escaping scheme that must never collide. Measured
 * with the driver's BSON on views of 10, 200 and 2000 context items, the string is also 6-20 % smaller than
 * the same view as nested BSON (25.5 kB vs 31.8 kB, 1.70 MB vs 1.81 MB), encodes 9-70 % faster and decodes
 * as fast or faster (8.5 ms vs 11.5 ms at 1.7 MB), and its stored size is the projection's JSON size, the very
 * quantity the projector checks against `maxDocumentBytes`. Queries never look inside the view: everything the
 * list query filters or sorts on is copied beside it.
 */
export interface ViewDocument {
  _id: string;
  version: number;
  deleted: boolean;
  last_event_id: string;
  gaps: SeqGap[];
  user_id: string;
  agent_id: string;
  /** The instant as an `instantKey`, so that string order is time order whatever zone the event was stamped in. */
  updated_at: string;
  is_running: boolean;
  status: SessionStatus;
  source: SessionSource;
  team_id: string | null;
  /** The writeMany call that wrote this version (see newWriteToken). */
  write_token: string;
  view: string;
}

/** Equality on the owner, then newest first: the list query and its count walk one contiguous index range. */
export const VIEW_INDEXES: IndexDescription[] = [
  { name: 'list_by_owner', key: { user_id: 1, agent_id: 1, deleted: 1, updated_at: -1, _id: 1 } },
];

export const LIST_ORDER = { updated_at: -1, _id: 1 } as const;

/**
 * The sessions a list query matches, which its count counts. Equality on the owner and `deleted` walks one range
 * of the list index; the optional filters are checked on the documents of that range.
 */
export function listFilter(query: SessionListQuery): Filter<ViewDocument> {
  const filter: Filter<ViewDocument> = { user_id: query.userId, agent_id: query.agentId, deleted: false };
  if (query.isRunning !== undefined) filter.is_running = query.isRunning;
  if (query.status !== undefined) filter.status = query.status;
  if (query.source !== undefined) filter.source = query.source;
  if (query.teamId !== undefined) filter.team_id = query.teamId;
  if (query.updatedAfter !== undefined) filter.updated_at = { $gt: instantKey(query.updatedAfter) };
  return filter;
}

/**
 * The page's filter: the list filter narrowed to the sessions after `position` in list order. The bound on
 * updated_at keeps the index range tight; the $or only decides the ties at the position's own instant.
 */
export function listPageFilter(query: SessionListQuery): Filter<ViewDocument> {
  const filter = listFilter(query);
  if (query.after === undefined) return filter;
  const positionKey = instantKey(query.after.updatedAt);
  const afterPosition: Filter<ViewDocument> = {
    updated_at: { $lte: positionKey },
    $or: [{ updated_at: { $lt: positionKey } }, { _id: { $gt: query.after.sessionId } }],
  };
  return { $and: [filter, afterPosition] };
}

export function toViewDocument(projection: SessionProjection, writeToken: string): ViewDocument {
  const { session, is_running, status } = projection.view;
  return {
    _id: projection.session_id,
    version: projection.version,
    deleted: projection.deleted,
    last_event_id: projection.last_event_id,
    gaps: projection.gaps,
    user_id: session.user_id,
    agent_id: session.agent_id,
    updated_at: instantKey(session.updated_at),
    is_running,
    status,
    source: session.source,
    team_id: session.team_id,
    write_token: writeToken,
    view: JSON.stringify(projection.view),
  };
}

export function fromViewDocument(document: ViewDocument): SessionProjection {
  return {
    session_id: document._id,
    version: document.version,
    deleted: document.deleted,
    gaps: document.gaps,
    last_event_id: document.last_event_id,
    view: JSON.parse(document.view),
  };
}
