import { Logger } from '@nestjs/common';
import {
  CHANGE_REPLAY_WINDOW,
  ChangeFeed,
  ChangeScope,
  ChangeSubscription,
  inChangeScope,
  PositionedViewChange,
  SubscribeOptions,
  ViewChange,
} from '@app/ports';
import { EventEmitter } from 'node:events';
import { Connection, SqliteDatabase } from './sqlite.database';
import { SqliteStoreError, SqliteStoreErrorCode } from './sqlite-store.error';

const PUBLISHED = 'published';
const POSITION = /^(0|[1-9]\d{0,15})$/;
/** Resuming subscribers read their backlog in pages, so a far-behind one never loads every session at once. */
const BACKLOG_PAGE_SIZE = 200;

/**
 * The in-process change feed: the `changes` table keeps the latest change of each session under an ever-growing
 * position (what Kafka's compacted `session-changes` topic keeps per key), so a subscriber can resume after the
 * last position it saw; live subscribers are called from memory once the publishing transaction commits, never
 * with a change that was rolled back.
 */
export class SqliteChangeFeed extends ChangeFeed {
  private readonly logger = new Logger(SqliteChangeFeed.name);
  private readonly published = new EventEmitter().setMaxListeners(0);

  constructor(
    private readonly database: SqliteDatabase,
    /** CHANGE_REPLAY_WINDOW; smaller in tests, which cannot publish that many changes quickly. */
    private readonly replayWindow: number = CHANGE_REPLAY_WINDOW,
  ) {
    super();
  }

  async publish(changes: readonly ViewChange[]): Promise<void> {
    if (changes.length === 0) return;
    await this.database.write((connection) => {
      const replace = this.database.statement(connection, 'DELETE FROM changes WHERE session_id = ?');
      const insert = this.database.statement(
        connection,
        'INSERT INTO changes (session_id, user_id, agent_id, change) VALUES (?, ?, ?, ?)',
      );
      const positioned = changes.map((change): PositionedViewChange => {
        replace.run(change.session_id);
        const { lastInsertRowid } = insert.run(
          change.session_id,
          change.user_id,
          change.agent_id,
          JSON.stringify(change),
        );
        return { ...change, position: String(lastInsertRowid) };
      });
      this.database.afterCommit(() => this.published.emit(PUBLISHED, positioned));
    });
  }

  async subscribe(
    options: SubscribeOptions,
    onChange: (change: PositionedViewChange) => void,
  ): Promise<ChangeSubscription> {
    const { scope } = options;
    const after =
      options.after === undefined ? undefined : this.database.read((c) => this.resumable(c, options.after!));
    const deliver = (change: PositionedViewChange) => {
      if (!inChangeScope(change, scope)) return;
      try {
        onChange(change);
      } catch (error) {
        this.logger.error(`a change-feed subscriber failed: ${(error as Error).stack ?? error}`);
      }
    };
    // Live changes wait while the backlog is replayed, then only those past the last replayed position follow:
    // a change committed during the replay is either read by a later page or held here, never both nor neither.
    let held: PositionedViewChange[] | undefined = after === undefined ? undefined : [];
    const listener = (batch: PositionedViewChange[]) => {
      if (held) held.push(...batch);
      else batch.forEach(deliver);
    };
    this.published.on(PUBLISHED, listener);
    let closed = false;
    if (after !== undefined) {
      const replayed = await this.replayAfter(after, scope, deliver, () => closed);
      held!.filter((change) => Number(change.position) > replayed).forEach(deliver);
      held = undefined;
    }
    return {
      close: async () => {
        closed = true;
        this.published.off(PUBLISHED, listener);
      },
    };
  }

  /**
   * The backlog after `position` in pages of BACKLOG_PAGE_SIZE, yielding to the event loop between pages so a
   * long replay never holds other requests. A scoped replay reads only the scope's rows, through `changes_by_scope`.
   * Returns the last position read (or `position`).
   */
  private async replayAfter(
    position: number,
    scope: ChangeScope | undefined,
    deliver: (change: PositionedViewChange) => void,
    closed: () => boolean,
  ): Promise<number> {
    let cursor = position;
    for (;;) {
      const page = this.database.read((connection) => this.backlogPage(connection, cursor, scope));
      page.forEach(deliver);
      if (page.length > 0) cursor = Number(page[page.length - 1].position);
      if (page.length < BACKLOG_PAGE_SIZE || closed()) return cursor;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  private backlogPage(
    connection: Connection,
    after: number,
    scope: ChangeScope | undefined,
  ): PositionedViewChange[] {
    const rows = (
      scope === undefined
        ? this.database
            .statement(
              connection,
              'SELECT position, change FROM changes WHERE position > ? ORDER BY position LIMIT ?',
            )
            .all(after, BACKLOG_PAGE_SIZE)
        : this.database
            .statement(connection, SCOPED_BACKLOG)
            .all(scope.userId, scope.agentId, after, BACKLOG_PAGE_SIZE)
    ) as { position: number; change: string }[];
    return rows.map((row) => ({ ...(JSON.parse(row.change) as ViewChange), position: String(row.position) }));
  }

  /** A position this feed handed out and still replays: not past its head, nor more than the window behind it. */
  private resumable(connection: Connection, position: string): number {
    const after = parsePosition(position);
    const { head } = this.database
      .statement(
        connection,
        "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'changes'), 0) AS head",
      )
      .get() as { head: number };
    if (after > head) throw invalidPosition(position, 'is past the last position this feed handed out');
    if (head - after > this.replayWindow)
      throw invalidPosition(
        position,
        `is more than ${this.replayWindow} changes behind; reload and subscribe afresh`,
      );
    return after;
  }
}

/** Served by the index of migration 5 on the scope's columns. */
export const SCOPED_BACKLOG =
  'SELECT position, change FROM changes WHERE user_id = ? AND agent_id = ? AND position > ? ORDER BY position LIMIT ?';

function invalidPosition(position: string, why: string): SqliteStoreError {
  return new SqliteStoreError(
    SqliteStoreErrorCode.InvalidPosition,
    `change-feed position ${JSON.stringify(position)} ${why}`,
  );
}

function parsePosition(position: string): number {
  if (!POSITION.test(position)) throw invalidPosition(position, 'is not a position of this feed');
  return Number(position);
}
