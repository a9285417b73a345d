import { AppConfig, loadConfig } from '@app/config';
import { SessionProjection } from '@app/domain';
import { ViewGenerations } from '@app/ports';
import { DATABASE_FILE_NAME } from '@app/sqlite';
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
import { formatFigure } from './support/format';
import { LoadRound, loadFor } from './support/http-load';
import { measure, percentile, secondsSince } from './support/measure';
import { startRawMongoList, startRawSqliteList } from './support/raw-list-routes';
import { RunningReadApi, startReadApi } from './support/read-api-app';
import { useServers } from './support/servers';

/** A sidebar's page of full views, asked for with `limit`. */
const PAGE_SIZE = 50;
const DEFAULT_SESSIONS = 10_000;
/** Clients reading at once, each asking again as soon as its answer is read. */
const CONNECTIONS = 20;
const ROUNDS = 3;
/** How long each side serves the clients in a round; the sides take turns. */
const ROUND_SECONDS = 5;
/** Served before timing, so that neither the JIT nor cold caches count against the first side measured. */
const WARMUP_SECONDS = 2;
const WRITE_CHUNK = 500;
const USER_ID = 'bench-user';
const AGENT_ID = 'bench-agent';

/** A server answering the list request: the app, or a ceiling doing the same necessary work with nothing else. */
interface Side {
  name: string;
  baseUrl: string;
}

interface StoreUnderTest {
  name: string;
  config: AppConfig;
  /** Bare routes reading the same page from the same store, once the app has stored the views; the first is the
   * ceiling the app's goals are set against. */
  openCeilings(api: RunningReadApi): Promise<{ sides: Side[]; close(): Promise<void> }>;
  cleanUp(): Promise<void>;
}

export const listBenchmark: Benchmark = {
  name: 'list',
  description:
    `GET /sessions/?agent_id=&limit=${PAGE_SIZE} (full views) under ${CONNECTIONS} concurrent clients, through ` +
    `apps/query-api on a 127.0.0.1 port, for one user with many sessions, on SQLite and each MongoDB-compatible ` +
    `server: throughput and latency vs bare Fastify routes running the same query (SQLite: splicing the stored view ` +
    `text, and parsing it; MongoDB: the driver's page), ${ROUNDS} rounds of ${ROUND_SECONDS} s per side taking ` +
    `turns (--sessions, default ${DEFAULT_SESSIONS.toLocaleString('en-US')})`,
  async run(context) {
    const sessions = context.sizes.sessions ?? DEFAULT_SESSIONS;
    const views = ownedViews(sessions);
    await measureStore(context, views, sqliteStore());
    for (const target of await useServers()) await measureStore(context, views, mongoStore(target));
  },
};

async function measureStore(
  { record }: BenchContext,
  views: readonly SessionProjection[],
  store: StoreUnderTest,
): Promise<void> {
  try {
    const api = await startReadApi(store.config);
    try {
      await seed(api, views, store.name);
      const pageSeconds = await checkPage(api.baseUrl, views.length);
      // A store that takes about a second per page (FerretDB v1 scans) would keep 20 clients' requests queued past
      // any client timeout; one client still compares the app with the raw route on it.
      const connections = pageSeconds > SLOW_PAGE_SECONDS ? 1 : CONNECTIONS;
      const ceilings = await store.openCeilings(api);
      try {
        const sides: Side[] = [{ name: 'app', baseUrl: api.baseUrl }, ...ceilings.sides];
        for (const side of sides) await loadFor(pageUrl(side), HEADERS, connections, WARMUP_SECONDS);
        const rounds: LoadRound[][] = sides.map(() => []);
        const spec = { label: `list: ${store.name}`, total: ROUNDS * sides.length, unit: 'side rounds' };
        const { memory } = await measure(spec, async (advance) => {
          for (let round = 0; round < ROUNDS; round += 1) {
            for (const [index, side] of sides.entries()) {
              rounds[index].push(await loadFor(pageUrl(side), HEADERS, connections, ROUND_SECONDS));
              advance(1);
            }
          }
        });
        recordSides(
          record,
          `${store.name}, ${connections} client${connections === 1 ? '' : 's'}`,
          sides,
          rounds,
          memory,
        );
      } finally {
        await ceilings.close();
      }
    } finally {
      await api.app.close();
    }
  } finally {
    await store.cleanUp();
  }
}

const HEADERS = { 'x-user-id': USER_ID };

function pageUrl(side: Side): string {
  return `${side.baseUrl}/sessions/?agent_id=${AGENT_ID}&limit=${PAGE_SIZE}`;
}

/** The median round of a side by throughput, with its spread across rounds. */
function medianRound(rounds: readonly LoadRound[]): { round: LoadRound; spread: string } {
  const rate = (round: LoadRound) => round.requests / round.seconds;
  const sorted = [...rounds].sort((a, b) => rate(a) - rate(b));
  return {
    round: sorted[Math.floor(sorted.length / 2)],
    spread: `${formatFigure(rate(sorted[0]))}–${formatFigure(rate(sorted[sorted.length - 1]))} req/s`,
  };
}

function recordSides(
  record: BenchContext['record'],
  storeName: string,
  sides: readonly Side[],
  rounds: readonly LoadRound[][],
  memory: MemoryPeak,
): void {
  const [app, ...ceilings] = rounds.map(medianRound);
  const note = (index: number) =>
    `median of ${ROUNDS} rounds; app ${app.spread}, ${sides[index].name} ${[app, ...ceilings][index].spread}`;
  for (const [index, ceiling] of ceilings.entries()) {
    const name = sides[index + 1].name;
    const primary = index === 0;
    record({
      name: `list: ${storeName} throughput vs ${name}`,
      value: app.round.requests / app.round.seconds,
      unit: 'req/s',
      ceiling: { name, value: ceiling.round.requests / ceiling.round.seconds },
      goal: primary ? { ratio: 0.9, direction: 'at least' } : undefined,
      memory,
      note: note(index + 1),
    });
  }
  const ceiling = ceilings[0];
  for (const p of PERCENTILES) {
    record({
      name: `list: ${storeName} p${p} under load`,
      value: percentile(app.round.latencies, p),
      unit: 'ms',
      ceiling: { name: sides[1].name, value: percentile(ceiling.round.latencies, p) },
      goal: p === 99 ? { ratio: 1.25, direction: 'at most' } : undefined,
      memory,
    });
  }
}

const PERCENTILES = [50, 99] as const;

/** A page slower than this on its own is read by one client instead of CONNECTIONS. */
const SLOW_PAGE_SECONDS = 0.5;

/** The app's first page, checked once so a broken app cannot look fast; resolves with the seconds it took. */
async function checkPage(baseUrl: string, sessions: number): Promise<number> {
  const url = pageUrl({ name: 'app', baseUrl });
  const startedAt = process.hrtime.bigint();
  const response = await fetch(url, { headers: HEADERS });
  const body = await response.text();
  if (response.status !== 200)
    throw new Error(`GET ${url} answered ${response.status}: ${body.slice(0, 200)}`);
  const page = JSON.parse(body) as { sessions: unknown[]; total: number };
  const expected = Math.min(PAGE_SIZE, sessions);
  if (page.sessions.length !== expected || page.total !== sessions) {
    throw new Error(
      `expected ${expected} of ${sessions} sessions, got ${page.sessions.length} of ${page.total}`,
    );
  }
  return secondsSince(startedAt);
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
 * with the same instants, so each gets a created_at and an updated_at of its own: the list's order then depends on the index.
 */
function ownedViews(count: number): SessionProjection[] {
  return Array.from({ length: count }, (_, index) => {
    const projection = realisticProjection(`bench-list-${index}`, USER_ID, AGENT_ID);
    const session = {
      ...projection.view.session,
      created_at: timestampAt(index),
      updated_at: timestampAt(index),
    };
    return { ...projection, view: { ...projection.view, session } };
  });
}

function sqliteStore(): StoreUnderTest {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-list-'));
  return {
    name: 'sqlite',
    config: loadConfig({ DATA_DIR: dataDir, HTTP_PORT: '0', LOG_LEVEL: 'warn' }),
    openCeilings: async (api) => {
      const table = await api.app.get(ViewGenerations).active();
      const file = join(dataDir, DATABASE_FILE_NAME);
      const splice = await startRawSqliteList(file, table, 'splice');
      const parse = await startRawSqliteList(file, table, 'parse');
      return {
        sides: [
          { name: 'raw route splicing stored JSON', baseUrl: splice.baseUrl },
          { name: 'raw route parsing rows', baseUrl: parse.baseUrl },
        ],
        close: async () => {
          await splice.close();
          await parse.close();
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
    openCeilings: async (api) => {
      const collection = await api.app.get(ViewGenerations).active();
      const raw = await startRawMongoList(target.uri, database, collection);
      return { sides: [{ name: 'raw route with the driver', baseUrl: raw.baseUrl }], close: raw.close };
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
