import { eventRulesFingerprint, SessionEvent } from '@app/domain';
import { EventLog, EventLogConflictError, LogPosition } from '@app/ports';
import { EventEmitter } from 'node:events';
import { insertEvents } from './events-table';
import { positionPast } from './log-positions';
import { SqliteDatabase } from './sqlite.database';

/** One row of the log as its tailer reads it: the stored bytes, untouched, and where they sit. */
export interface LoggedEvent {
  position: number;
  sessionId: string;
  payload: Buffer;
  /** The row names this build's event rules as the ones that accepted it (see insertEvents): no need to check again. */
  validated: boolean;
}

const APPENDED = 'appended';

/**
 * The append-only `events` table. Positions come from a global autoincrement, so the tailer can resume after the
 * last one it projected. A batch is appended all or nothing: events already in the log (a client retrying after a
 * lost response) are skipped, and any collision with another event rejects the whole batch.
 */
export class SqliteEventLog extends EventLog {
  private readonly appended = new EventEmitter();

  constructor(private readonly database: SqliteDatabase) {
    super();
  }

  async append(events: readonly SessionEvent[]): Promise<LogPosition> {
    if (events.length === 0) return new Map();
    return this.database.write((connection) => {
      const result = insertEvents(this.database, connection, events);
      if (result.conflicts.length > 0) throw new EventLogConflictError(result.conflicts);
      if (result.stored > 0) this.database.afterCommit(() => this.appended.emit(APPENDED));
      return positionPast(result.lastPosition);
    });
  }

  /** The position just past the last event of the log. */
  head(): LogPosition {
    return this.database.read((connection) => {
      const row = this.database.statement(connection, 'SELECT MAX(position) AS last FROM events').get() as {
        last: number | null;
      };
      return positionPast(row.last ?? 0);
    });
  }

  /** Calls `listener` after each commit that added events, so a tailer need not poll. */
  onAppended(listener: () => void): () => void {
    this.appended.on(APPENDED, listener);
    return () => this.appended.off(APPENDED, listener);
  }

  /** Up to `limit` events after `position`, in log order. */
  readAfter(position: number, limit: number): LoggedEvent[] {
    return this.database.read((connection) => {
      const rows = this.database
        .statement(
          connection,
          `SELECT position, session_id, event, validated_by = ? AS validated FROM events
           WHERE position > ? ORDER BY position LIMIT ?`,
        )
        .all(eventRulesFingerprint(), position, limit) as {
        position: number;
        session_id: string;
        event: string;
        validated: number | null;
      }[];
      return rows.map((row) => ({
        position: row.position,
        sessionId: row.session_id,
        payload: Buffer.from(row.event, 'utf8'),
        validated: row.validated === 1,
      }));
    });
  }
}
