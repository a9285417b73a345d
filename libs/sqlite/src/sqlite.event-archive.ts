import { SessionEvent, instantKey } from '@app/domain';
import {
  ArchiveAppendResult,
  ArchiveScanOptions,
  ArchiveScanPosition,
  ArchiveScanPage,
  decodeArchiveScanCursor,
  encodeArchiveScanCursor,
  EventArchive,
  HistoryRange,
} from '@app/ports';
import { insertEvents } from './events-table';
import { SqliteDatabase } from './sqlite.database';
import { SqliteStoreError, SqliteStoreErrorCode } from './sqlite-store.error';

/**
 * The embedded archive is the event log's own table. Production needs a second store because a Kafka topic has
 * retention and no uniqueness; the SQLite log is kept forever and is already unique on (session_id, seq) and on
 * event_id, so a copy in the same file would double the disk and the writes for no new guarantee. When the
 * projector archives an event the tailer read from the log, the archive finds it there and counts a duplicate,
 * which the engine treats as the redelivery it is. One consequence: history and time travel show an event as soon
 * as ingest acknowledges it, slightly ahead of the views.
 */
export class SqliteEventArchive extends EventArchive {
  constructor(private readonly database: SqliteDatabase) {
    super();
  }

  async append(events: readonly SessionEvent[]): Promise<ArchiveAppendResult> {
    if (events.length === 0) return { stored: 0, duplicates: 0, conflicts: [] };
    const { stored, duplicates, conflicts } = await this.database.write((connection) =>
      insertEvents(this.database, connection, events),
    );
    return { stored, duplicates, conflicts };
  }

  async history(sessionId: string, range: HistoryRange): Promise<SessionEvent[]> {
    const rows = this.database.read((connection) =>
      this.database
        .statement(
          connection,
          `SELECT event FROM events
           WHERE session_id = ? AND seq > ? AND seq <= ? AND (? IS NULL OR occurred_at_key <= ?)
           ORDER BY seq LIMIT ?`,
        )
        .all(
          sessionId,
          range.afterSeq ?? 0,
          range.untilSeq ?? Number.MAX_SAFE_INTEGER,
          ...twice(range.until === undefined ? null : instantKey(range.until)),
          range.limit,
        ),
    ) as { event: string }[];
    return rows.map((row) => JSON.parse(row.event) as SessionEvent);
  }

  async scan(options: ArchiveScanOptions): Promise<ArchiveScanPage> {
    const { sessionId: afterSession, seq: afterSeq } =
      options.cursor === null ? { sessionId: '', seq: 0 } : decodeCursor(options.cursor);
    // One row past the page tells whether another page follows, so the last page ends with a null cursor.
    const rows = this.database.read((connection) =>
      this.database
        .statement(
          connection,
          `SELECT session_id, seq, event FROM events
           WHERE (session_id, seq) > (?, ?) AND (? IS NULL OR recorded_at_ms >= ?)
           ORDER BY session_id, seq LIMIT ?`,
        )
        .all(
          afterSession,
          afterSeq,
          ...twice(options.archivedSince === undefined ? null : options.archivedSince.getTime()),
          options.limit + 1,
        ),
    ) as { session_id: string; seq: number; event: string }[];
    const page = rows.slice(0, options.limit);
    const last = page[page.length - 1];
    return {
      events: page.map((row) => JSON.parse(row.event) as SessionEvent),
      cursor:
        rows.length > options.limit
          ? encodeArchiveScanCursor({ sessionId: last.session_id, seq: last.seq })
          : null,
    };
  }

  async count(): Promise<number> {
    return this.database.read(
      (connection) =>
        (
          this.database.statement(connection, 'SELECT COUNT(*) AS count FROM events').get() as {
            count: number;
          }
        ).count,
    );
  }
}

/** An optional bound is bound twice: once for its IS NULL test, once for the comparison. */
function twice<T>(value: T): [T, T] {
  return [value, value];
}

function decodeCursor(cursor: string): ArchiveScanPosition {
  const position = decodeArchiveScanCursor(cursor);
  if (position === undefined) {
    throw new SqliteStoreError(
      SqliteStoreErrorCode.InvalidCursor,
      `'${cursor}' is not a scan cursor of this archive`,
    );
  }
  return position;
}
