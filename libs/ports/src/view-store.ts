import type { SessionProjection, SessionSource, SessionStatus } from '@app/domain';

/** A projection to store, guarded by the version the writer read: a stale writer must re-read and re-fold. */
export interface ViewWrite {
  projection: SessionProjection;
  /** The stored version the fold started from; null when the session had no stored projection. */
  expectedVersion: number | null;
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
  isRunning?: boolean;
  status?: SessionStatus;
  source?: SessionSource;
  teamId?: string;
  /** Exclusive lower bound on session.updated_at (ISO-8601). */
  updatedAfter?: string;
  /**
   * Keyset paging: only sessions that come after this one in list order, i.e. updated earlier, or at the same
   * instant with a greater session id. Unlike an offset, it does not shift when other sessions are written between
   * two pages. Does not narrow `total`.
   */
  after?: SessionListPosition;
}

/** A session's place in list order: its session.updated_at (ISO-8601, compared as an instant) and its id. */
export interface SessionListPosition {
  updatedAt: string;
  sessionId: string;
}

export interface SessionListPage {
  /** Newest session.updated_at first, ties broken by ascending session id so pages are stable. Deleted sessions excluded. */
  items: SessionProjection[];
  /** Every matching session, not just this page. */
  total: number;
}

/** The SessionView projections of one generation (a MongoDB collection, a SQLite table). */
export abstract class ViewStore {
  /** A projection whose JSON is larger than this cannot be stored (MongoDB's 16 MiB BSON limit, less headroom). */
  abstract readonly maxDocumentBytes: number;
  abstract get(sessionId: string): Promise<SessionProjection | null>;
  abstract getMany(sessionIds: readonly string[]): Promise<Map<string, SessionProjection>>;
  abstract writeMany(writes: readonly ViewWrite[]): Promise<ViewWriteResult>;
  abstract list(query: SessionListQuery): Promise<SessionListPage>;
}
