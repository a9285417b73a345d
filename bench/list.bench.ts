import { AppConfig, loadConfig } from '@app/config';
import { SessionProjection } from '@app/domain';
import { ViewGenerations } from '@app/ports';
import { DATABASE_FILE_NAME } from '@app/sqlite';
import Database from 'better-sqlite3';
import { MongoClient } from 'mongodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { realisticProjection, timestampAt } from '../test/factories/session-events';
import { MongoTarget } from '../test/support/infra';
import { testKafkaClient, uniqueProductionConfig } from '../test/support/kafka';
import { Benchmark, BenchContext } from './support/benchmark';
import { deleteTopicsAndGroups } from './support/kafka-log';
import { MemoryPeak } from './support/memory';
import { measure, percentile, timeInTurns } from './support/measure';
import { RunningReadApi, startReadApi } from './support/read-api-app';
import { useServers } from './support/servers';

/** A sidebar's page of full views, asked for with `limit`. */
const PAGE_SIZE = 50;
const DEFAULT_SESSIONS = 10_000;
const DEFAULT_REQUESTS = 500;
/** Reads before timing, so that neither the JIT nor cold caches count against the first store or side measured. */
const WARMUP = { count: 50, budgetSeconds: 5 };
/** A store that takes seconds per page is measured on fewer requests rather than for half an hour. */
const BUDGET_SECONDS = 30;
const PERCENTILES = [50, 95, 99] as const;
const WRITE_CHUNK = 500;
const USER_ID = 'bench-user';
const AGENT_ID = 'bench-agent';

/** One page read the way each side does it: through the app, or straight from the store. */
type Read = () => Promise<void>;

interface StoreUnderTest {
  name: string;
  config: AppConfig;
  /** What reading the page costs the store's own client: the page's query and its total, nothing else. */
  openRawRead(api: RunningReadApi): Promise<{ read: Read; close(): Promise<void> }>;
  rawReadName: string;
  cleanUp(): Promise<void>;
}

export const listBenchmark: Benchmark = {
  name: 'list',
  description:
    `GET /sessions/?agent_id= latency (p50/p95/p99, first page of ${PAGE_SIZE}, full views) through ` +
    `apps/query-api on a 127.0.0.1 port, for one user with many sessions, on SQLite and each MongoDB-compatible ` +
    `server, vs the same page and total read with the store's driver, the two taking turns (--sessions, default ` +
    `${DEFAULT_SESSIONS.toLocaleString('en-US')}; --requests, default ${DEFAULT_REQUESTS}, or as many as fit ` +
    `in ${BUDGET_SECONDS} s)`,
  async run(context) {
    const sessions = context.sizes.sessions ?? DEFAULT_SESSIONS;
    const views = ownedViews(sessions);
    await measureStore(context, views, sqliteStore());
    for (const target of await useServers()) await measureStore(context, views, mongoStore(target));
  },
};

async function measureStore(
  { sizes, record }: BenchContext,
  views: readonly SessionProjection[],
  store: StoreUnderTest,
): Promise<void> {
  const requests = sizes.requests ?? DEFAULT_REQUESTS;
  try {
    const api = await startReadApi(store.config);
    try {
      await seed(api, views, store.name);
      const raw = await store.openRawRead(api);
      try {
        const reads = [pageRequest(api.baseUrl, views.length), raw.read];
        await timeInTurns(WARMUP.count, reads, WARMUP);
        let latencies: number[][] = [];
        const spec = { label: `list: ${store.name}`, total: requests, unit: 'request pairs' };
        const { memory } = await measure(spec, async (advance) => {
          latencies = await timeInTurns(requests, reads, { advance, budgetSeconds: BUDGET_SECONDS });
        });
        const [served, direct] = latencies;
        recordPercentiles(record, store, requests, { served, direct, memory });
      } finally {
        await raw.close();
      }
    } finally {
      await api.app.close();
    }
  } finally {
    await store.cleanUp();
  }
}

/** Milliseconds, ascending, of the page read through the app and straight from the store, taking turns. */
interface Latencies {
  served: number[];
  direct: number[];
  /** Peak memory of this process, which serves the app and runs both clients. */
  memory: MemoryPeak;
}

function recordPercentiles(
  record: BenchContext['record'],
  store: StoreUnderTest,
  requested: number,
  { served, direct, memory }: Latencies,
): void {
  const note =
    served.length < requested ? `${served.length} of each in the ${BUDGET_SECONDS} s budget` : undefined;
  for (const p of PERCENTILES) {
    record({
      name: `list: ${store.name} p${p}`,
      value: percentile(served, p),
      unit: 'ms',
      ceiling: { name: store.rawReadName, value: percentile(direct, p) },
      memory,
      note,
    });
  }
}

/** The first page as a client asks for it; the first answer is checked, so a broken app cannot look fast. */
function pageRequest(baseUrl: string, sessions: number): Read {
  const url = `${baseUrl}/sessions/?agent_id=${AGENT_ID}&limit=${PAGE_SIZE}`;
  let checked = false;
  return async () => {
    const response = await fetch(url, { headers: { 'x-user-id': USER_ID } });
    const body = await response.text();
    if (response.status !== 200)
      throw new Error(`GET ${url} answered ${response.status}: ${body.slice(0, 200)}`);
    if (checked) return;
    const page = JSON.parse(body) as { sessions: unknown[]; total: number };
    const expected = Math.min(PAGE_SIZE, sessions);
    if (page.sessions.length !== expected || page.total !== sessions) {
      throw new Error(
        `expected ${expected} of ${sessions} sessions, got ${page.sessions.length} of ${page.total}`,
      );
    }
    checked = true;
  };
}

/** Writes the views the way the projector does, through the app's own ViewGenerations. */
async function seed(
  api: RunningReadApi,
  views: readonly SessionProjection[],
  storeName: string,
): Promise<void> {
  const generations = api.app.get(ViewGenerations);
  const store = generations.store(await generations.active());
  const spec = { label: `list: ${storeName}, storing the views`, total: views.length, unit: 'views' };
  await measure(spec, async (advance) => {
    for (let start = 0; start < views.length; start += WRITE_CHUNK) {
      const chunk = views.slice(start, start + WRITE_CHUNK);
      const { conflicts } = await store.writeMany(
        chunk.map((projection) => ({ projection, expectedVersion: null })),
      );
      if (conflicts.length > 0) throw new Error(`${conflicts.length} views were already stored`);
      advance(chunk.length);
    }
  });
}

/**
 * `count` sessions of one user and agent, each the fold of a realistic history. The fold stamps every session
 * with the same instants, so each gets an updated_at of its own: the list's order then depends on the index.
 */
function ownedViews(count: number): SessionProjection[] {
  return Array.from({ length: count }, (_, index) => {
    const projection = realisticProjection(`bench-list-${index}`, USER_ID, AGENT_ID);
    const session = { ...projection.view.session, updated_at: timestampAt(index) };
    return { ...projection, view: { ...projection.view, session } };
  });
}

function sqliteStore(): StoreUnderTest {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-list-'));
  return {
    name: 'sqlite',
    config: loadConfig({ DATA_DIR: dataDir, HTTP_PORT: '0', LOG_LEVEL: 'warn' }),
    rawReadName: 'better-sqlite3 page + count',
    openRawRead: async (api) => {
      const table = await api.app.get(ViewGenerations).active();
      const database = new Database(join(dataDir, DATABASE_FILE_NAME), { readonly: true });
      const where = 'user_id = ? AND agent_id = ? AND deleted = 0';
      const page = database.prepare(
        `SELECT projection FROM "${table}" WHERE ${where} ORDER BY updated_at_key DESC, session_id LIMIT ?`,
      );
      const count = database.prepare(`SELECT COUNT(*) AS total FROM "${table}" WHERE ${where}`);
      return {
        read: async () => {
          page.all(USER_ID, AGENT_ID, PAGE_SIZE);
          count.get(USER_ID, AGENT_ID);
        },
        close: async () => {
          database.close();
        },
      };
    },
    cleanUp: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

function mongoStore(target: MongoTarget): StoreUnderTest {
  const config = uniqueProductionConfig(target.uri, { LOG_LEVEL: 'warn' });
  const database = config.mongo!.database;
  return {
    name: target.name,
    config,
    rawReadName: 'driver find + count',
    openRawRead: async (api) => {
      const collection = await api.app.get(ViewGenerations).active();
      const client = new MongoClient(target.uri);
      const views = client.db(database).collection(collection);
      const filter = { user_id: USER_ID, agent_id: AGENT_ID, deleted: false };
      return {
        read: async () => {
          await Promise.all([
            views.find(filter).sort({ updated_at: -1, _id: 1 }).limit(PAGE_SIZE).toArray(),
            views.countDocuments(filter),
          ]);
        },
        close: () => client.close(),
      };
    },
    cleanUp: async () => {
      const client = new MongoClient(target.uri);
      try {
        await client.db(database).dropDatabase();
      } finally {
        await client.close();
      }
      const { eventsTopic, changesTopic, deadLetterTopic } = config.kafka!;
      await deleteTopicsAndGroups(testKafkaClient(), [eventsTopic, changesTopic, deadLetterTopic], []);
    },
  };
}
