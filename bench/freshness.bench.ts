import { loadConfig } from '@app/config';
import { MongoClient } from 'mongodb';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { realisticHistory } from '../test/factories/session-events';
import { MongoTarget, uniqueName } from '../test/support/infra';
import { testKafkaClient, uniqueProductionEnv } from '../test/support/kafka';
import { startAppProcess, startProjectorProcess } from '../test/support/app-process';
import { startStoreProcess } from '../test/support/store-process';
import { BenchContext, Benchmark } from './support/benchmark';
import { cleanUpWithin } from './support/deadlines';
import { formatFigure } from './support/format';
import { FreshnessTarget, untilApplied } from './support/freshness-client';
import { FreshnessFloor, kafkaFloor, sqliteFloor } from './support/freshness-floors';
import { FreshnessProbe } from './support/freshness-probe';
import { batchTotals, describeBatches } from './support/batch-metrics';
import { ChangeArrivals } from './support/change-arrivals';
import { deleteTopicsAndGroups } from './support/kafka-log';
import { measure, percentile, secondsSince } from './support/measure';
import {
  CAPACITY_WINDOW,
  LOAD_BATCH,
  PacedLoad,
  writeAsFastAsApplied,
  WriterStream,
  writerStreams,
} from './support/paced-load';
import { useServers } from './support/servers';

/** Timed write-then-reads per load level (--requests). */
const DEFAULT_WRITES = 300;
/** Events of the capacity measurement (--events). */
const DEFAULT_CAPACITY_EVENTS = 10_000;
/** Fractions of the measured capacity the background load runs at. */
const LOAD_LEVELS = [0.1, 0.5, 0.9] as const;
/** Issue 16: at half load, p99 within the floor plus 50 ms. */
const GOAL_LEVEL = 0.5;
const GOAL_MARGIN_MS = 50;
/** Writers of the capacity measurement: enough that the deployment, not one client's round trips, sets the rate. */
const CAPACITY_CLIENTS = 8;
/** Untimed, before the capacity: the servers' code warmed up and their connections open. */
const WARM_UP_EVENTS = 2000;
/** The load runs this long before the first timed write of a level, so the servers meet it in a steady state. */
const SETTLE_MS = 2000;
/** Untimed write-then-reads (and floor samples) at the start of each level. */
const WARM_UP_WRITES = 10;
/**
 * A level's write-then-reads (its warm-up included) stop after this long, one timed at least: near saturation the
 * projection may fall behind for good, and each write then waits longer than the one before.
 */
const LEVEL_BUDGET_S = 120;
/**
 * Events a level's background load sends at most; its timed writes end with it. mongo-java-server keeps every
 * write in memory, dropped databases' included, in a heap of 2 GiB shared with every test run: a level that ran
 * its whole time budget at production rates wrote hundreds of thousands of events and ran it out of heap.
 */
const LEVEL_LOAD_EVENTS = 30_000;
const INGEST_TOKEN = 'bench-freshness-ingest-token-0123456789';
const CLEANUP_LIMIT_MS = 30_000;

export const freshnessBenchmark: Benchmark = {
  name: 'freshness',
  description:
    `write-to-visible latency: POST /sessions/events of one event, then the list with min_position set to the ` +
    `returned position, timed to the read's 200, p50 and p99 under background load at ` +
    `${LOAD_LEVELS.map((level) => `${level * 100} %`).join(', ')} of the capacity measured first in the same run ` +
    `(ingest + projection sustained), vs the log's floor timed in turns (SQLite append → woken reader; Kafka ` +
    `produce with acks=all → consumer); embedded always, production on the first MongoDB server when the ` +
    `development servers (or KAFKA_BROKERS and MONGODB_URI) answer (--requests writes per level, default ` +
    `${DEFAULT_WRITES}; --events for the capacity, default ${DEFAULT_CAPACITY_EVENTS.toLocaleString('en-US')})`,
  async run(context) {
    await onEmbedded(context);
    let servers: MongoTarget[];
    try {
      servers = await useServers();
    } catch (error) {
      console.log(`  production profile not measured: ${(error as Error).message}`);
      return;
    }
    // FerretDB v1 replaces a view by scanning its collection: its capacity is a few events a second, and its
    // figures would say nothing about MongoDB (README, Benchmarks).
    await onProduction(context, servers[0]);
  },
};

/** A deployment the benchmark writes to and reads from, and the floor of its log. */
interface Deployment {
  profile: string;
  target: FreshnessTarget;
  floor: FreshnessFloor;
  /** The /metrics of the process that projects, for its batches' sizes and durations. */
  projectorMetricsUrl: string;
  /** Where the projector's changes can be timed (production: the changes topic). */
  changes?: ChangeArrivals;
}

/** apps/store in a process of its own over a fresh folder; the floor's SQLite file beside its database. */
async function onEmbedded(context: BenchContext): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-freshness-'));
  try {
    const store = await startStoreProcess({ dataDir });
    const floor = sqliteFloor(dataDir);
    try {
      const ingestToken = readFileSync(join(dataDir, 'ingest-token'), 'utf8').trim();
      await measureDeployment(context, {
        profile: 'embedded',
        target: { baseUrl: store.baseUrl, ingestToken },
        floor,
        projectorMetricsUrl: `${store.baseUrl}/metrics`,
      });
    } finally {
      await floor.close();
      await store.stop('SIGTERM');
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** apps/query-api (ingest and reads) and apps/projector, each in a process of its own, on topics and a database of their own. */
async function onProduction(context: BenchContext, server: MongoTarget): Promise<void> {
  const env = uniqueProductionEnv(server.uri, {
    INGEST_TOKEN,
    // The production default; the test helpers' 3 would make each partition's batches larger than in production.
    KAFKA_TOPIC_PARTITIONS: '6',
  });
  const config = loadConfig(env);
  const kafka = testKafkaClient();
  try {
    const queryApi = await startAppProcess('query-api', env);
    try {
      const projector = await startProjectorProcess(env);
      try {
        const floor = await kafkaFloor(kafka, config.kafka!);
        const changes = await ChangeArrivals.start(kafka, config.kafka!.changesTopic);
        try {
          await measureDeployment(context, {
            profile: `production on ${server.name}`,
            target: { baseUrl: queryApi.baseUrl, ingestToken: INGEST_TOKEN },
            floor,
            projectorMetricsUrl: `${projector.baseUrl}/metrics`,
            changes,
          });
        } finally {
          await changes.close();
          await floor.close();
        }
      } finally {
        await projector.stop('SIGTERM');
      }
    } finally {
      await queryApi.stop('SIGTERM');
    }
  } finally {
    const { eventsTopic, changesTopic, deadLetterTopic, consumerGroup } = config.kafka!;
    await cleanUpWithin(CLEANUP_LIMIT_MS, 'deleting the topics and the group', () =>
      deleteTopicsAndGroups(kafka, [eventsTopic, changesTopic, deadLetterTopic], [consumerGroup]),
    );
    await cleanUpWithin(CLEANUP_LIMIT_MS, `dropping the database on ${server.name}`, async () => {
      const client = new MongoClient(server.uri);
      try {
        await client.db(config.mongo!.database).dropDatabase();
      } finally {
        await client.close();
      }
    });
  }
}

/** The capacity, then each load level's write-to-visible latencies beside the floor's, timed in turns. */
async function measureDeployment(context: BenchContext, deployment: Deployment): Promise<void> {
  const { profile, target } = deployment;
  const writers = writerStreams();
  const capacityWriters = writers.slice(0, CAPACITY_CLIENTS);
  const warmUp = await writeAsFastAsApplied(target, capacityWriters, WARM_UP_EVENTS);
  await untilApplied(target, warmUp.reached);

  const capacityEvents = context.sizes.events ?? DEFAULT_CAPACITY_EVENTS;
  for (const writer of capacityWriters)
    writer.prepare(Math.ceil(capacityEvents / CAPACITY_CLIENTS) + LOAD_BATCH);
  let sent = 0;
  const capacityRun = await measure(
    { label: `freshness, ${profile}: capacity`, total: capacityEvents, unit: 'events' },
    async (advance) => {
      const written = await writeAsFastAsApplied(target, capacityWriters, capacityEvents, advance);
      sent = written.sent;
      await untilApplied(target, written.reached);
    },
  );
  const capacity = sent / capacityRun.seconds;
  context.record({
    name: `freshness, ${profile}: capacity (ingest + projection sustained)`,
    value: capacity,
    unit: 'events/s',
    memory: capacityRun.memory,
    note: `${CAPACITY_CLIENTS} writers of ${LOAD_BATCH}-event batches, each at most ${CAPACITY_WINDOW} events ahead of the projection, until it applied the last`,
  });

  for (const level of LOAD_LEVELS) {
    await measureLevel(context, deployment, writers, level, capacity);
  }
}

async function measureLevel(
  { sizes, record }: BenchContext,
  { profile, target, floor, projectorMetricsUrl, changes }: Deployment,
  writers: readonly WriterStream[],
  level: number,
  capacity: number,
): Promise<void> {
  const writes = sizes.requests ?? DEFAULT_WRITES;
  const rate = capacity * level;
  const percent = `${Math.round(level * 100)} %`;
  // Round robin spreads the level's batches evenly, so each writer sends at most its share of LEVEL_LOAD_EVENTS.
  for (const writer of writers)
    writer.prepare(Math.ceil(LEVEL_LOAD_EVENTS / writers.length) + 2 * LOAD_BATCH);
  const load = new PacedLoad(
    target,
    writers,
    rate,
    Math.min(SETTLE_MS / 1000 + LEVEL_BUDGET_S, LEVEL_LOAD_EVENTS / rate),
  );
  const samples = {
    write: [] as number[],
    ack: [] as number[],
    wait: [] as number[],
    projected: [] as number[],
    afterChange: [] as number[],
    floor: [] as number[],
  };
  let created = 0;
  let behind = 0;
  let stopped = false;
  try {
    await sleep(SETTLE_MS);
    const budgetStartedAt = process.hrtime.bigint();
    const withinBudget = () => load.active && secondsSince(budgetStartedAt) < LEVEL_BUDGET_S;
    const probe = new FreshnessProbe(target, uniqueName(`fresh-${Math.round(level * 100)}`), changes);
    const floorEvents = realisticHistory('floor-session', 'floor-user', 'floor-agent');
    const turn = async (index: number, timed: boolean) => {
      load.check();
      const written = await probe.writeThenRead();
      const floorMs = await floor.sample(floorEvents[index % floorEvents.length]);
      if (!timed) return;
      samples.write.push(written.ms);
      samples.ack.push(written.ackMs);
      samples.wait.push(written.ms - written.ackMs);
      if (written.projectedMs !== null) {
        samples.projected.push(written.projectedMs);
        samples.afterChange.push(written.ms - written.projectedMs);
      }
      samples.floor.push(floorMs);
      if (written.created) created += 1;
      behind += written.behind;
    };
    for (let index = 0; index < WARM_UP_WRITES && withinBudget(); index += 1) await turn(index, false);
    const batchesBefore = await batchTotals(projectorMetricsUrl);
    const timed = await measure(
      { label: `freshness, ${profile}: ${percent} load`, total: writes, unit: 'writes' },
      async (advance) => {
        for (let index = 0; index < writes && (index === 0 || withinBudget()); index += 1) {
          await turn(index, true);
          advance(1);
        }
      },
    );
    const batchesDuring = describeBatches(batchesBefore, await batchTotals(projectorMetricsUrl));
    const sent = await load.stop();
    stopped = true;
    const drainStartedAt = process.hrtime.bigint();
    await untilApplied(target, sent.reached);
    const drainSeconds = secondsSince(drainStartedAt);

    const sorted = Object.fromEntries(
      Object.entries(samples).map(([part, ms]) => [part, ms.sort((a, b) => a - b)]),
    ) as typeof samples;
    const p50p99 = (ms: number[]) =>
      `p50 ${formatFigure(percentile(ms, 50))} / p99 ${formatFigure(percentile(ms, 99))} ms`;
    // Where the time goes: the write's acknowledgement, then the read's wait for the projection, which is the
    // projector's pickup and batches (its own metrics; where changes are watched, until its change arrived) and
    // then the applied position's write and the watcher's look (PROJECTION_WATCH_MS, or woken in-process).
    const changeParts =
      sorted.projected.length > 0
        ? `; from the write's start to its change ${p50p99(sorted.projected)}, from the change to the read's 200 ` +
          `${p50p99(sorted.afterChange)} (${sorted.projected.length} changes seen)`
        : '';
    console.log(
      `  parts, ${profile}, ${percent} load: ingest ack ${p50p99(sorted.ack)}; read until applied ` +
        `${p50p99(sorted.wait)}${changeParts}; projector: ${batchesDuring} while timed`,
    );
    const timedWrites = sorted.write.length;
    const note =
      `${timedWrites} writes (${created} new sessions)` +
      (timedWrites < writes
        ? `, cut short by the level's budget (${LEVEL_BUDGET_S} s, ${formatFigure(LEVEL_LOAD_EVENTS)} load events)`
        : '') +
      (behind > 0 ? `, ${behind} reads answered 503 (behind) before their 200` : '') +
      `, load ${formatFigure(sent.events / sent.seconds)} of ` +
      `${formatFigure(rate)} events/s asked` +
      (sent.late > 0 ? `, ${sent.late} batches late` : '') +
      `, backlog applied ${drainSeconds.toFixed(2)} s after the load stopped`;
    for (const percentRank of [50, 99]) {
      record({
        name: `freshness, ${profile}, ${percent} load: p${percentRank}`,
        value: percentile(sorted.write, percentRank),
        unit: 'ms',
        ceiling: { name: `${floor.name} p${percentRank}`, value: percentile(sorted.floor, percentRank) },
        goal: level === GOAL_LEVEL && percentRank === 99 ? { margin: GOAL_MARGIN_MS } : undefined,
        memory: timed.memory,
        note,
      });
    }
  } finally {
    if (!stopped) await load.stop().catch(() => undefined);
  }
}
