import { loadConfig } from '@app/config';
import { SessionEvent } from '@app/domain';
import { MAX_EVENTS_PER_BATCH } from '@app/ingest';
import { ProjectionEngine, SqliteLogTailer } from '@app/projection';
import { SqliteAppliedPositions, SqliteDatabase, SqliteEventLog } from '@app/sqlite';
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Benchmark, Ceiling } from './support/benchmark';
import { Measured, measure, medianRate, rateSpread } from './support/measure';
import { startProjectorContext } from './support/projector-context';
import { assertProjected } from './support/views';
import { interleavedSessions, Workload } from './support/workload';
import { INGEST_BATCH, INGEST_CLIENTS, timeHttpIngestUntilCurrent } from './support/http-ingest';
import { runMinimalTailer } from './support/minimal-tailer';

const DEFAULT_EVENTS = 50_000;
/** The largest batch one POST /sessions/events may carry: appends at their cheapest per event. */
const APPEND_BATCH = MAX_EVENTS_PER_BATCH;

/** Rounds of every phase, taking turns; the median round of each is kept. */
const ROUNDS = 3;

export const embeddedBenchmark: Benchmark = {
  name: 'embedded',
  description:
    `the embedded profile on SQLite in ${ROUNDS} alternating rounds: appending through SqliteEventLog (batches of ` +
    `${APPEND_BATCH}) vs raw better-sqlite3 inserts; the log tailer's ProjectionEngine catching up vs a minimal ` +
    `hand-written SQLite tailer doing the same work; HTTP ingest (${INGEST_CLIENTS} clients, ${INGEST_BATCH}-event ` +
    `batches) until every view is current vs the raw inserts (--events, default ${DEFAULT_EVENTS.toLocaleString('en-US')})`,
  async run({ sizes, record }) {
    const workload = interleavedSessions(sizes.events ?? DEFAULT_EVENTS);
    const total = workload.events.length;
    const runs = {
      raw: [] as Measured[],
      minimal: [] as Measured[],
      append: [] as Measured[],
      catchUp: [] as Measured[],
      ingest: [] as Measured[],
    };
    for (let round = 1; round <= ROUNDS; round += 1) {
      const label = (what: string) => `${what} (round ${round}/${ROUNDS})`;
      const dataDir = mkdtempSync(join(tmpdir(), 'bench-embedded-'));
      try {
        const raw = await rawInsertThenMinimalTailer(join(dataDir, 'ceiling'), workload.events, label);
        runs.raw.push(raw.insert);
        runs.minimal.push(raw.tailer);
        const store = await appendThenCatchUp(join(dataDir, 'store'), workload, label);
        runs.append.push(store.append);
        runs.catchUp.push(store.catchUp);
        runs.ingest.push(
          await timeHttpIngestUntilCurrent(
            join(dataDir, 'http'),
            workload.events,
            phase(label('HTTP ingest until views are current'), total).label,
          ),
        );
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
    const rate = (measured: readonly Measured[]) => medianRate(measured, total);
    const rawInsert: Ceiling = { name: 'better-sqlite3 insert', value: rate(runs.raw).value };
    const spread = (name: string, measured: readonly Measured[]) =>
      `median of ${ROUNDS} rounds; ${name} ${rateSpread(measured, total)}`;
    record({
      name: 'embedded: append',
      ...rate(runs.append),
      unit: 'events/s',
      ceiling: rawInsert,
      note: `${spread('append', runs.append)}, raw ${rateSpread(runs.raw, total)}`,
    });
    record({
      name: 'embedded: projection catch-up',
      ...rate(runs.catchUp),
      unit: 'events/s',
      ceiling: { name: 'minimal SQLite tailer', value: rate(runs.minimal).value },
      goal: { ratio: 0.6, direction: 'at least' },
      note: `${spread('catch-up', runs.catchUp)}, minimal tailer ${rateSpread(runs.minimal, total)}`,
    });
    record({
      name: 'embedded: HTTP ingest until views are current',
      ...rate(runs.ingest),
      unit: 'events/s',
      ceiling: rawInsert,
      goal: { ratio: 0.35, direction: 'at least' },
      note: `${spread('ingest', runs.ingest)}, raw ${rateSpread(runs.raw, total)}`,
    });
  },
};

/** The store's append and its tailer's catch-up, in-process, over a fresh data folder. */
async function appendThenCatchUp(
  dataDir: string,
  workload: Workload,
  label: (what: string) => string,
): Promise<{ append: Measured; catchUp: Measured }> {
  const total = workload.events.length;
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
  const app = await startProjectorContext(config);
  try {
    const log = app.get(SqliteEventLog);
    const append = await measure(phase(label('append through SqliteEventLog'), total), async (advance) => {
      for (const batch of batches(workload.events, APPEND_BATCH)) {
        await log.append(batch);
        advance(batch.length);
      }
    });
    const tailer = new SqliteLogTailer(
      app.get(SqliteDatabase),
      log,
      app.get(ProjectionEngine),
      app.get(SqliteAppliedPositions),
      config,
    );
    const catchUp = await measure(phase(label('log tailer catching up'), total), async (advance) => {
      for (;;) {
        const projected = await tailer.projectNextBatch();
        if (projected === 0) return;
        advance(projected);
      }
    });
    await assertProjected(app, workload);
    return { append, catchUp };
  } finally {
    await app.close();
  }
}

/**
 * The same events stored as rows by better-sqlite3 alone, with the store's durability settings (WAL, a sync at
 * every commit) and its two uniqueness rules, one transaction per batch: what SQLite can do for the log at best.
 */
async function rawInsertThenMinimalTailer(
  dataDir: string,
  events: readonly SessionEvent[],
  label: (what: string) => string,
): Promise<{ insert: Measured; tailer: Measured }> {
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
  try {
    const insert = await measure(phase(label('raw better-sqlite3 inserts'), events.length), (advance) => {
      for (const batch of batches(events, APPEND_BATCH)) {
        insertBatch(batch);
        advance(batch.length);
      }
    });
    const tailer = await measure(phase(label('minimal SQLite tailer'), events.length), (advance) =>
      runMinimalTailer(database, advance),
    );
    return { insert, tailer };
  } finally {
    database.close();
  }
}

function* batches<T>(items: readonly T[], size: number): Generator<readonly T[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}

function phase(label: string, total: number) {
  return { label: `embedded: ${label}`, total, unit: 'events' };
}
