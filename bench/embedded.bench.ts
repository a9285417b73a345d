import { loadConfig } from '@app/config';
import { SessionEvent } from '@app/domain';
import { MAX_EVENTS_PER_BATCH } from '@app/ingest';
import { ProjectionEngine } from '@app/projection';
import { SqliteDatabase, SqliteEventLog, SqliteLogTailer } from '@app/sqlite';
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Benchmark, Ceiling } from './support/benchmark';
import { highestPeak } from './support/memory';
import { Measured, measure } from './support/measure';
import { startProjectorContext } from './support/projector-context';
import { assertProjected } from './support/views';
import { interleavedSessions } from './support/workload';

const DEFAULT_EVENTS = 50_000;
/** The largest batch one POST /sessions/events may carry: appends at their cheapest per event. */
const APPEND_BATCH = MAX_EVENTS_PER_BATCH;

export const embeddedBenchmark: Benchmark = {
  name: 'embedded',
  description:
    `the embedded profile on SQLite: appending through SqliteEventLog (batches of ${APPEND_BATCH}), then the log ` +
    `tailer's ProjectionEngine catching up, in events/s vs raw better-sqlite3 inserts of the same events ` +
    `(--events, default ${DEFAULT_EVENTS.toLocaleString('en-US')})`,
  async run({ sizes, record }) {
    const workload = interleavedSessions(sizes.events ?? DEFAULT_EVENTS);
    const total = workload.events.length;
    const dataDir = mkdtempSync(join(tmpdir(), 'bench-embedded-'));
    try {
      const rawInsert = await measureRawInsert(join(dataDir, 'ceiling'), workload.events);
      const ceiling: Ceiling = { name: 'better-sqlite3 insert', value: total / rawInsert.seconds };

      const config = loadConfig({ DATA_DIR: join(dataDir, 'store'), LOG_LEVEL: 'warn' });
      const app = await startProjectorContext(config);
      try {
        const log = app.get(SqliteEventLog);
        const append = await measure(phase('append through SqliteEventLog', total), async (advance) => {
          for (const batch of batches(workload.events, APPEND_BATCH)) {
            await log.append(batch);
            advance(batch.length);
          }
        });
        const tailer = new SqliteLogTailer(app.get(SqliteDatabase), log, app.get(ProjectionEngine), config);
        const catchUp = await measure(phase('log tailer catching up', total), async (advance) => {
          for (;;) {
            const projected = await tailer.projectNextBatch();
            if (projected === 0) return;
            advance(projected);
          }
        });
        await assertProjected(app, workload);

        record({
          name: 'embedded: append',
          value: total / append.seconds,
          unit: 'events/s',
          ceiling,
          memory: append.memory,
        });
        record({
          name: 'embedded: projection catch-up',
          value: total / catchUp.seconds,
          unit: 'events/s',
          ceiling,
          memory: catchUp.memory,
        });
        record({
          name: 'embedded: append + catch-up',
          value: total / (append.seconds + catchUp.seconds),
          unit: 'events/s',
          ceiling,
          memory: highestPeak([append.memory, catchUp.memory]),
        });
      } finally {
        await app.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};

/**
 * The same events stored as rows by better-sqlite3 alone, with the store's durability settings (WAL, a sync at
 * every commit) and its two uniqueness rules, one transaction per batch: what SQLite can do for the log at best.
 */
function measureRawInsert(dataDir: string, events: readonly SessionEvent[]): Promise<Measured> {
  mkdirSync(dataDir);
  const database = new Database(join(dataDir, 'raw.db'));
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = FULL');
  database.exec(`CREATE TABLE events (
    position INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL UNIQUE,
    session_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    event TEXT NOT NULL,
    UNIQUE (session_id, seq)
  )`);
  const insert = database.prepare(
    'INSERT INTO events (event_id, session_id, seq, event) VALUES (?, ?, ?, ?)',
  );
  const insertBatch = database.transaction((batch: readonly SessionEvent[]) => {
    for (const event of batch) insert.run(event.event_id, event.session_id, event.seq, JSON.stringify(event));
  });
  return measure(phase('raw better-sqlite3 inserts', events.length), (advance) => {
    for (const batch of batches(events, APPEND_BATCH)) {
      insertBatch(batch);
      advance(batch.length);
    }
  }).finally(() => database.close());
}

function* batches<T>(items: readonly T[], size: number): Generator<readonly T[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}

function phase(label: string, total: number) {
  return { label: `embedded: ${label}`, total, unit: 'events' };
}
