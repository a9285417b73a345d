import { AppliedPositions, LogHead, LogPosition } from '@app/ports';
import { SqliteDatabase } from './sqlite.database';
import { SqliteEventLog } from './sqlite.event-log';

/** The embedded log has one partition; a row's position p is covered by the log position just past it, p + 1. */
const PARTITION = 0;
const TAILER_NAME = 'projector';

/** The log position that covers every row up to `lastRow` (0: none). */
export function positionPast(lastRow: number): LogPosition {
  return new Map([[PARTITION, lastRow + 1]]);
}

/**
 * The embedded projector's position, one row of `tailer_positions`. The tailer records it inside the transaction
 * that writes the batch's views, so the views and the position commit together; readers of the same process are
 * woken once that transaction commits.
 */
export class SqliteAppliedPositions extends AppliedPositions {
  constructor(private readonly database: SqliteDatabase) {
    super();
  }

  /** The position of the last row projected, 0 before the first batch. */
  lastProjectedRow(): number {
    const row = this.database.read((connection) =>
      this.database
        .statement(connection, 'SELECT position FROM tailer_positions WHERE tailer = ?')
        .get(TAILER_NAME),
    ) as { position: number } | undefined;
    return row?.position ?? 0;
  }

  read(): Promise<LogPosition> {
    return Promise.resolve(positionPast(this.lastProjectedRow()));
  }

  async record(position: LogPosition): Promise<void> {
    const next = position.get(PARTITION);
    if (next === undefined) return;
    await this.database.write((connection) => {
      this.database
        .statement(
          connection,
          `INSERT INTO tailer_positions (tailer, position) VALUES (?, ?)
           ON CONFLICT (tailer) DO UPDATE SET position = MAX(position, excluded.position)`,
        )
        .run(TAILER_NAME, next - 1);
    });
    this.database.afterCommit(() => this.announce());
  }
}

export class SqliteLogHead extends LogHead {
  constructor(private readonly log: SqliteEventLog) {
    super();
  }

  read(): Promise<LogPosition> {
    return Promise.resolve(this.log.head());
  }
}
