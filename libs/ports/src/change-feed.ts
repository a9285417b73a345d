import type { SessionProjection, SessionView } from '@app/domain';
import { formatPositionToken, LogPosition } from './log-position';

/** The latest state of one session after a batch changed it. Deleted sessions are published too, with their tombstone view. */
export interface ViewChange {
  session_id: string;
  user_id: string;
  agent_id: string;
  version: number;
  deleted: boolean;
  view: SessionView;
  /**
   * The log position just past the session's last event this change reflects, as a token: a client holding the
   * position of its own write knows the change includes it when this covers that. Changes published before
   * positions existed (and changes made outside a projector) have none.
   */
  log_position?: string;
}

/** The change a projection makes; `position` is where the log stood past the events it reflects. */
export function viewChangeOf(projection: SessionProjection, position?: LogPosition): ViewChange {
  return {
    session_id: projection.session_id,
    user_id: projection.view.session.user_id,
    agent_id: projection.view.session.agent_id,
    version: projection.version,
    deleted: projection.deleted,
    view: projection.view,
    ...(position && { log_position: formatPositionToken(position) }),
  };
}

/** A change as a subscriber receives it, with an opaque position a client can resume after (SSE Last-Event-ID). */
export interface PositionedViewChange extends ViewChange {
  position: string;
}

export interface ChangeSubscription {
  close(): Promise<void>;
}

export interface SubscribeOptions {
  /**
   * Resume after this position; absent means only changes published from now on. A position the feed never handed
   * out, or one further back than CHANGE_REPLAY_WINDOW changes, is refused: see INVALID_CHANGE_POSITION.
   */
  after?: string;
  /** Only the changes of this user's sessions of this agent, replayed and live; every change when absent. */
  scope?: ChangeScope;
}

export interface ChangeScope {
  userId: string;
  agentId: string;
}

export function inChangeScope(change: ViewChange, scope: ChangeScope | undefined): boolean {
  return scope === undefined || (change.user_id === scope.userId && change.agent_id === scope.agentId);
}

/**
 * How far back (in changes published, per partition where the feed has partitions) a subscriber may resume. A
 * client further behind reloads the list instead: replaying an unbounded backlog per connection would let a few
 * clients hold the server.
 */
export const CHANGE_REPLAY_WINDOW = 100_000;

/** The `session-changes` compacted topic in production, an in-process feed (backed by SQLite) when embedded. */
export abstract class ChangeFeed {
  abstract publish(changes: readonly ViewChange[]): Promise<void>;
  abstract subscribe(
    options: SubscribeOptions,
    onChange: (change: PositionedViewChange) => void,
  ): Promise<ChangeSubscription>;
}

/**
 * The `code` of the error `subscribe` rejects with when `after` is not a position the feed handed out (a malformed
 * or foreign SSE Last-Event-ID), so callers can answer it as the client's mistake whatever the adapter.
 */
export const INVALID_CHANGE_POSITION = 'invalid_position';

export function isInvalidChangePosition(error: unknown): boolean {
  return error instanceof Error && (error as { code?: unknown }).code === INVALID_CHANGE_POSITION;
}
