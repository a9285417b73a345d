import type { SessionView } from '@app/domain';

/** The latest state of one session after a batch changed it. Deleted sessions are published too, with their tombstone view. */
export interface ViewChange {
  session_id: string;
  user_id: string;
  agent_id: string;
  version: number;
  deleted: boolean;
  view: SessionView;
}

/** A change as a subscriber receives it, with an opaque position a client can resume after (SSE Last-Event-ID). */
export interface PositionedViewChange extends ViewChange {
  position: string;
}

export interface ChangeSubscription {
  close(): Promise<void>;
}

export interface SubscribeOptions {
  /** Resume after this position; absent means only changes published from now on. */
  after?: string;
}

/** The `session-changes` compacted topic in production, an in-process feed (backed by SQLite) when embedded. */
export abstract class ChangeFeed {
  abstract publish(changes: readonly ViewChange[]): Promise<void>;
  abstract subscribe(
    options: SubscribeOptions,
    onChange: (change: PositionedViewChange) => void,
  ): Promise<ChangeSubscription>;
}
