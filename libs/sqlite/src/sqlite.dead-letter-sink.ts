import {
  DeadLetter,
  DeadLetterQuery,
  DeadLetterReason,
  DeadLetterSink,
  selectDeadLetters,
  StoredDeadLetter,
} from '@app/ports';
import { Logger } from '@nestjs/common';
import { SqliteDatabase } from './sqlite.database';

interface DeadLetterRow {
  id: number;
  payload: Buffer;
  record_key: string | null;
  reason: DeadLetterReason;
  detail: string;
  source_topic: string;
  source_partition: number | null;
  source_offset: string | null;
  session_id: string | null;
  event_id: string | null;
  dead_lettered_at: string;
  redriven_at: string | null;
}

/** Row ids as the port's ids: decimal digits only, so anything else is simply not a letter here. */
const ROW_ID = /^[1-9][0-9]{0,15}$/;

/** Dead letters in a table of the store's file: durable with, and only with, the batch that produced them. */
export class SqliteDeadLetterSink extends DeadLetterSink {
  private readonly logger = new Logger(SqliteDeadLetterSink.name);

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
      // No dead-letter topic to watch here: each letter is a warning line with its reason, once it is stored.
      this.database.afterCommit(() => letters.forEach((letter) => this.logger.warn(warningOf(letter))));
    });
  }

  /** Every letter in the order it was sent, re-driven ones included. */
  all(): Promise<StoredDeadLetter[]> {
    return this.list({ includeRedriven: true, limit: Number.MAX_SAFE_INTEGER });
  }

  async list(query: DeadLetterQuery = {}): Promise<StoredDeadLetter[]> {
    // The table is read in id order and filtered by the one shared rule: dead letters are few by nature.
    const rows = this.database.read((connection) =>
      this.database.statement(connection, 'SELECT * FROM dead_letters ORDER BY id').all(),
    ) as DeadLetterRow[];
    return selectDeadLetters(rows.map(toDeadLetter), query);
  }

  async show(id: string): Promise<StoredDeadLetter | undefined> {
    if (!ROW_ID.test(id)) return undefined;
    const row = this.database.read((connection) =>
      this.database.statement(connection, 'SELECT * FROM dead_letters WHERE id = ?').get(Number(id)),
    ) as DeadLetterRow | undefined;
    return row && toDeadLetter(row);
  }

  async markRedriven(id: string, at: Date): Promise<void> {
    if (!ROW_ID.test(id)) return;
    await this.database.write((connection) => {
      this.database
        .statement(connection, 'UPDATE dead_letters SET redriven_at = ? WHERE id = ?')
        .run(at.toISOString(), Number(id));
    });
  }
}

function toDeadLetter(row: DeadLetterRow): StoredDeadLetter {
  return {
    id: String(row.id),
    payload: row.payload,
    key: row.record_key,
    reason: row.reason,
    detail: row.detail,
    source: {
      topic: row.source_topic,
      ...(row.source_partition === null ? {} : { partition: row.source_partition }),
      ...(row.source_offset === null ? {} : { offset: row.source_offset }),
    },
    failedAt: row.dead_lettered_at,
    ...(row.session_id === null ? {} : { sessionId: row.session_id }),
    ...(row.event_id === null ? {} : { eventId: row.event_id }),
    ...(row.redriven_at === null ? {} : { redrivenAt: row.redriven_at }),
  };
}

function warningOf(letter: DeadLetter): string {
  const where = letter.sessionId === undefined ? 'a record' : `session ${letter.sessionId}`;
  const event = letter.eventId === undefined ? '' : ` (event ${letter.eventId})`;
  return `dead-lettered ${where}${event}: ${letter.reason}: ${letter.detail}`;
}
