import { Logger } from '@nestjs/common';
import {
  ChangeFeed,
  ChangeSubscription,
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

  constructor(private readonly database: SqliteDatabase) {
    super();
  }

  async publish(changes: readonly ViewChange[]): Promise<void> {
    if (changes.length === 0) return;
    await this.database.write((connection) => {
      const replace = this.database.statement(connection, 'DELETE FROM changes WHERE session_id = ?');
      const insert = this.database.statement(
        connection,
        'INSERT INTO changes (session_id, change) VALUES (?, ?)',
      );
      const positioned = changes.map((change): PositionedViewChange => {
        replace.run(change.session_id);
        const { lastInsertRowid } = insert.run(change.session_id, JSON.stringify(change));
        return { ...change, position: String(lastInsertRowid) };
      });
      this.database.afterCommit(() => this.published.emit(PUBLISHED, positioned));
    });
  }

  async subscribe(
    options: SubscribeOptions,
    onChange: (change: PositionedViewChange) => void,
  ): Promise<ChangeSubscription> {
    const after = options.after === undefined ? undefined : parsePosition(options.after);
    const deliver = (change: PositionedViewChange) => {
      try {
        onChange(change);
      } catch (error) {
        this.logger.error(`a change-feed subscriber failed: ${(error as Error).stack ?? error}`);
      }
    };
    const listener = (batch: PositionedViewChange[]) => batch.forEach(deliver);
    // The backlog is read and the listener attached in one synchronous stretch: a commit (and its emit) cannot fall
    // between them, so no change is missed or delivered twice.
    if (after !== undefined) this.replayAfter(after, deliver);
    this.published.on(PUBLISHED, listener);
    return {
      close: async () => {
        this.published.off(PUBLISHED, listener);
      },
    };
  }

  private replayAfter(position: number, deliver: (change: PositionedViewChange) => void): void {
    for (let cursor = position; ;) {
      const page = this.database.read((connection) => this.backlogPage(connection, cursor));
      page.forEach(deliver);
      if (page.length < BACKLOG_PAGE_SIZE) return;
      cursor = Number(page[page.length - 1].position);
    }
  }

  private backlogPage(connection: Connection, after: number): PositionedViewChange[] {
    const rows = this.database
      .statement(
        connection,
        'SELECT position, change FROM changes WHERE position > ? ORDER BY position LIMIT ?',
      )
      .all(after, BACKLOG_PAGE_SIZE) as { position: number; change: string }[];
    return rows.map((row) => ({ ...(JSON.parse(row.change) as ViewChange), position: String(row.position) }));
  }
}

function parsePosition(position: string): number {
  if (!POSITION.test(position)) {
    throw new SqliteStoreError(
      SqliteStoreErrorCode.InvalidPosition,
      `change-feed position ${JSON.stringify(position)} is not a position of this feed`,
    );
  }
  return Number(position);
}
