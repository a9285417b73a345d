import { DeadLetter, DeadLetterReason, DeadLetterSink } from '@app/ports';
import { SqliteDatabase } from './sqlite.database';

interface DeadLetterRow {
  payload: Buffer;
  record_key: string | null;
  reason: DeadLetterReason;
  detail: string;
  source_topic: string;
  source_partition: number | null;
  source_offset: string | null;
  session_id: string | null;
  event_id: string | null;
}

/** Dead letters in a table of the store's file: durable with, and only with, the batch that produced them. */
export class SqliteDeadLetterSink extends DeadLetterSink {
  constructor(private readonly database: SqliteDatabase) {
    super();
  }

  async send(letters: readonly DeadLetter[]): Promise<void> {
    if (letters.length === 0) return;
    await this.database.write((connection) => {
      const insert = this.database.statement(
        connection,
        `INSERT INTO dead_letters (payload, record_key, reason, detail, source_topic, source_partition,
           source_offset, session_id, event_id, dead_lettered_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const now = new Date().toISOString();
      for (const letter of letters) {
        insert.run(
          letter.payload,
          letter.key,
          letter.reason,
          letter.detail,
          letter.source.topic,
          letter.source.partition ?? null,
          letter.source.offset ?? null,
          letter.sessionId ?? null,
          letter.eventId ?? null,
          now,
        );
      }
    });
  }

  /** Every letter in the order it was sent, for operators and tests. */
  async all(): Promise<DeadLetter[]> {
    const rows = this.database.read((connection) =>
      this.database.statement(connection, 'SELECT * FROM dead_letters ORDER BY id').all(),
    ) as DeadLetterRow[];
    return rows.map(toDeadLetter);
  }
}

function toDeadLetter(row: DeadLetterRow): DeadLetter {
  return {
    payload: row.payload,
    key: row.record_key,
    reason: row.reason,
    detail: row.detail,
    source: {
      topic: row.source_topic,
      ...(row.source_partition === null ? {} : { partition: row.source_partition }),
      ...(row.source_offset === null ? {} : { offset: row.source_offset }),
    },
    ...(row.session_id === null ? {} : { sessionId: row.session_id }),
    ...(row.event_id === null ? {} : { eventId: row.event_id }),
  };
}
