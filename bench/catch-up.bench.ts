import { AppConfig, loadConfig } from '@app/config';
import { KafkaEventConsumer } from '@app/kafka';
import { KafkaProjector, ProjectionEngine } from '@app/projection';
import { AppliedPositions } from '@app/ports';
import { INestApplicationContext } from '@nestjs/common';
import { MongoClient } from 'mongodb';
import { MongoTarget, uniqueName } from '../test/support/infra';
import { testKafkaClient, uniqueProductionConfig, uniqueProductionEnv } from '../test/support/kafka';
import { ProjectorProcess, startProjectorProcess } from '../test/support/app-process';
import { Benchmark, BenchContext } from './support/benchmark';
import {
  createEventsTopic,
  deleteTopicsAndGroups,
  endOffsets,
  publishEvents,
  readWholeTopic,
  untilCommitted,
  untilGroupHolds,
} from './support/kafka-log';
import { cleanUpWithin, StallWatch } from './support/deadlines';
import { formatFigure } from './support/format';
import { Measured, measure, medianRate, rateSpread } from './support/measure';
import {
  runMinimalPipeline,
  runPerMessageHandler,
  withReferenceResources,
} from './support/reference-projectors';
import { startProjectorContext } from './support/projector-context';
import { useServers } from './support/servers';
import { assertProjected } from './support/views';
import { interleavedSessions, Workload } from './support/workload';

/**
 * Sized for the development servers: mongo-java-server keeps every write in an in-memory oplog inside a 512 MiB
 * heap, and FerretDB v1 replaces a view by scanning its collection, so its catch-up slows with every session.
 */
const DEFAULT_EVENTS = 20_000;
/** The production default (KAFKA_TOPIC_PARTITIONS). */
const PARTITIONS = '6';
/** The projector's batch (PROJECTOR_BATCH_SIZE's default): events are published in batches of as many. */
const BATCH = 500;
/** Far longer than any batch takes; a projector that finishes none in this long is stuck on its server. */
const STALL_LIMIT_MS = 60_000;
const CLEANUP_LIMIT_MS = 30_000;

/** A timed run and the CPU time this process spent in it. */
interface ProjectorRun extends Measured {
  cpuSeconds: number;
}

/** Projector instances in one consumer group for the scaling figure, against one instance's rate. */
const SCALED_INSTANCES = 2;

/** Rounds of the projector and the minimal pipeline, taking turns; the median round of each is kept. */
const ROUNDS = 3;
/** The per-message handler is far slower: each round gets this long, and its rate is what it handled in it. */
const PER_MESSAGE_BUDGET_S = 15;

export const catchUpBenchmark: Benchmark = {
  name: 'catch-up',
  description:
    `the production projector (KafkaProjector: consumer, ProjectionEngine and applied positions on the MongoDB ` +
    `adapters) catching up on a fresh topic from offset 0, on each MongoDB-compatible server, in events/s vs a ` +
    `minimal hand-written pipeline doing the same necessary work and vs a typical per-message handler; and, live ` +
    `(the group formed before the events are published), ${SCALED_INSTANCES} instances in one group vs ` +
    `${SCALED_INSTANCES} × one; in ${ROUNDS} alternating rounds ` +
    `(--events, default ${DEFAULT_EVENTS.toLocaleString('en-US')})`,
  async run(context) {
    const targets = await useServers();
    const workload = interleavedSessions(context.sizes.events ?? DEFAULT_EVENTS);
    const total = workload.events.length;
    const kafka = testKafkaClient();
    // Every server's projector reads this one topic, each in a consumer group and a database of its own.
    const topicConfig = productionConfig(targets[0], uniqueName('bench-events'));
    const eventsTopic = topicConfig.kafka!.eventsTopic;
    await createEventsTopic(kafka, topicConfig.kafka!);
    try {
      const publish = await measure(phase('publishing to Kafka', total), (advance) =>
        publishEvents(topicConfig.kafka!, workload.events, BATCH, advance),
      );
      console.log(`  published ${total.toLocaleString('en-US')} events in ${publish.seconds.toFixed(1)} s`);
      const ends = await endOffsets(kafka, eventsTopic);

      const read = await measure(phase('bare consumer reading the topic', total), (advance) =>
        readWholeTopic(kafka, eventsTopic, total, advance),
      );
      context.record({
        name: 'catch-up: Kafka read alone (input side)',
        value: total / read.seconds,
        unit: 'events/s',
        memory: read.memory,
      });

      for (const target of targets) {
        await compareOnTarget(context, target, eventsTopic, workload, ends);
      }
    } finally {
      await deleteTopicsAndGroups(kafka, [eventsTopic], []);
    }
  },
};

/** The projector, the minimal pipeline and the per-message handler on one server, in alternating rounds. */
async function compareOnTarget(
  { record }: BenchContext,
  target: MongoTarget,
  eventsTopic: string,
  workload: Workload,
  ends: ReadonlyMap<number, string>,
): Promise<void> {
  const total = workload.events.length;
  const kafka = testKafkaClient();
  const projector: ProjectorRun[] = [];
  const oneLive: Measured[] = [];
  const twoInstances: Measured[] = [];
  const minimal: ProjectorRun[] = [];
  const perMessage: Array<{ rate: number; memory: Measured['memory'] }> = [];
  const referenceMongo = {
    uri: target.uri,
    writeConcern: productionConfig(target, eventsTopic).mongo!.writeConcern,
  };
  for (let round = 1; round <= ROUNDS; round += 1) {
    const label = (what: string) => `${what} on ${target.name} (round ${round}/${ROUNDS})`;
    minimal.push(
      await withReferenceResources(kafka, referenceMongo, 'minimal', async (resources) => {
        const cpuAtStart = process.cpuUsage();
        const timed = await measure(phase(label('minimal pipeline'), total), (advance) =>
          runMinimalPipeline(
            { kafka, eventsTopic, ends, advance },
            resources,
            productionConfig(target, eventsTopic).projectorBatchSize,
          ),
        );
        return { ...timed, cpuSeconds: cpuSecondsSince(cpuAtStart) };
      }),
    );
    projector.push(
      await projectFromOffsetZero(
        productionConfig(target, eventsTopic),
        target,
        workload,
        ends,
        label('projector'),
      ),
    );
    oneLive.push(await projectLive(target, workload, label('1 projector instance, live'), 1));
    twoInstances.push(
      await projectLive(
        target,
        workload,
        label(`${SCALED_INSTANCES} projector instances, live`),
        SCALED_INSTANCES,
      ),
    );
    perMessage.push(
      await withReferenceResources(kafka, referenceMongo, 'per-message', async (resources) => {
        let handled = 0;
        const timed = await measure(phase(label('per-message handler'), total), async (advance) => {
          handled = await runPerMessageHandler(
            { kafka, eventsTopic, ends, advance },
            resources,
            PER_MESSAGE_BUDGET_S,
          );
        });
        return { rate: handled / timed.seconds, memory: timed.memory };
      }),
    );
  }
  const projectorRate = medianRate(projector, total);
  // The process's CPU time (user and system, all threads) per event while the projector ran: how many events one
  // core would carry were the projector alone on it, the per-instance figure of the README's capacity section.
  const cpuPerEvent = (runs: readonly ProjectorRun[]) => {
    const sorted = runs.map(({ cpuSeconds }) => (cpuSeconds * 1e6) / total).sort((a, b) => a - b);
    return `CPU ${sorted[Math.floor(ROUNDS / 2)].toFixed(0)} µs/event`;
  };
  const spread = `median of ${ROUNDS} rounds; projector ${rateSpread(projector, total)}, ${cpuPerEvent(projector)}`;
  record({
    name: `catch-up: projector on ${target.name}`,
    value: projectorRate.value,
    unit: 'events/s',
    ceiling: { name: 'minimal pipeline', value: medianRate(minimal, total).value },
    goal: { ratio: 0.85, direction: 'at least' },
    memory: projectorRate.memory,
    note: `${spread}, minimal pipeline ${rateSpread(minimal, total)}, ${cpuPerEvent(minimal)}`,
  });
  const scaledRate = medianRate(twoInstances, total);
  const oneLiveRate = medianRate(oneLive, total);
  record({
    name: `catch-up: ${SCALED_INSTANCES} projector instances on ${target.name}, live`,
    value: scaledRate.value,
    unit: 'events/s',
    // Linear scaling is the ceiling: the ratio is the share of it reached, the scaling factor that ratio × 2.
    ceiling: {
      name: `${SCALED_INSTANCES} × one instance, live`,
      value: SCALED_INSTANCES * oneLiveRate.value,
    },
    memory: scaledRate.memory,
    note:
      `median of ${ROUNDS} rounds; ${rateSpread(twoInstances, total)}; one instance live ` +
      `${rateSpread(oneLive, total)}; ${(scaledRate.value / oneLiveRate.value).toFixed(2)}× one instance, ` +
      `each a process of its own, the group formed before publishing, publishing included`,
  });
  const perMessageRates = perMessage.map(({ rate }) => rate).sort((a, b) => a - b);
  record({
    name: `catch-up: projector on ${target.name} vs a per-message handler`,
    value: projectorRate.value,
    unit: 'events/s',
    ceiling: { name: 'per-message handler', value: perMessageRates[Math.floor(ROUNDS / 2)] },
    goal: { ratio: 10, direction: 'at least' },
    memory: projectorRate.memory,
    note: `${spread}, per-message handler ${formatFigure(perMessageRates[0])}–${formatFigure(perMessageRates[ROUNDS - 1])} in ${PER_MESSAGE_BUDGET_S} s rounds`,
  });
}

/**
 * Times the production projector (KafkaProjector: the consumer, the engine and the applied positions) from its
 * start, joining the group included, until the group has committed the end of every partition, and checks that
 * every event reached the archive and its view.
 */
async function projectFromOffsetZero(
  config: AppConfig,
  target: MongoTarget,
  workload: Workload,
  ends: ReadonlyMap<number, string>,
  label: string,
): Promise<ProjectorRun> {
  const { eventsTopic, consumerGroup } = config.kafka!;
  return withProjectors(config, target, 1, async (projectors, stallWatch) => {
    const cpuAtStart = process.cpuUsage();
    const projected = await measure(phase(label, workload.events.length), async (advance) => {
      await projectors[0].onApplicationBootstrap();
      await untilGroupCommitted(projectors, stallWatch, eventsTopic, consumerGroup, ends, advance);
    });
    return { ...projected, cpuSeconds: cpuSecondsSince(cpuAtStart) };
  }).then(async ({ result, assertProjectedBy }) => {
    await assertProjectedBy(workload);
    return result;
  });
}

/**
 * The scaling measurement: `instances` projectors, each `apps/projector` in a process of its own, join one group on
 * an empty topic of their own and hold its partitions before the clock starts; then the workload is published and
 * timed until the group has committed it. Started on a full topic instead, a later member's join would make the
 * group rebalance while the first projects, which a member hears of only at its next heartbeat (every 3 s), and a
 * short catch-up would measure that pause.
 */
async function projectLive(
  target: MongoTarget,
  workload: Workload,
  label: string,
  instances: number,
): Promise<Measured> {
  const kafka = testKafkaClient();
  const env = uniqueProductionEnv(target.uri, {
    KAFKA_EVENTS_TOPIC: uniqueName('bench-live'),
    KAFKA_TOPIC_PARTITIONS: PARTITIONS,
    LOG_LEVEL: 'warn',
  });
  const config = loadConfig(env);
  const { eventsTopic, changesTopic, deadLetterTopic, consumerGroup } = config.kafka!;
  await createEventsTopic(kafka, config.kafka!);
  const processes: ProjectorProcess[] = [];
  const stallWatch = new StallWatch(STALL_LIMIT_MS, `the projectors on ${target.name}`);
  try {
    processes.push(
      ...(await Promise.all(Array.from({ length: instances }, () => startProjectorProcess(env)))),
    );
    await untilGroupHolds(kafka, consumerGroup, instances);
    const measured = await measure(phase(label, workload.events.length), async (advance) => {
      await publishEvents(config.kafka!, workload.events, BATCH, () => undefined);
      const ends = await endOffsets(kafka, eventsTopic);
      await Promise.race([
        untilCommitted(kafka, consumerGroup, eventsTopic, ends, (committed) => {
          stallWatch.progressed();
          advance(committed);
        }),
        stallWatch.stalled,
      ]);
    });
    stallWatch.stop();
    const reader = await startProjectorContext(config);
    try {
      await assertProjected(reader, workload);
    } finally {
      await reader.close();
    }
    return measured;
  } finally {
    stallWatch.stop();
    await cleanUpWithin(CLEANUP_LIMIT_MS, `stopping the projectors on ${target.name}`, () =>
      Promise.all(processes.map((projector) => projector.stop('SIGTERM'))),
    );
    await cleanUpWithin(CLEANUP_LIMIT_MS, `dropping the database on ${target.name}`, () =>
      dropDatabase(target, config.mongo!.database),
    );
    await cleanUpWithin(CLEANUP_LIMIT_MS, `deleting the live topics and group of ${target.name}`, () =>
      deleteTopicsAndGroups(kafka, [eventsTopic, changesTopic, deadLetterTopic], [consumerGroup]),
    );
  }
}

/**
 * Runs `work` with `instances` projectors of `config` built (not started), then stops them and, once the projection
 * has been checked through `assertProjectedBy`, drops what they wrote.
 */
async function withProjectors<T>(
  config: AppConfig,
  target: MongoTarget,
  instances: number,
  work: (projectors: KafkaProjector[], stallWatch: StallWatch) => Promise<T>,
): Promise<{ result: T; assertProjectedBy: (workload: Workload) => Promise<void> }> {
  const kafka = testKafkaClient();
  const { changesTopic, deadLetterTopic, consumerGroup } = config.kafka!;
  const apps: INestApplicationContext[] = [];
  const projectors: KafkaProjector[] = [];
  const stallWatch = new StallWatch(STALL_LIMIT_MS, `the projector on ${target.name}`);
  const stopAll = () => Promise.all(projectors.map((projector) => projector.onModuleDestroy()));
  const cleanUp = async () => {
    stallWatch.stop();
    await cleanUpWithin(CLEANUP_LIMIT_MS, `stopping the projector on ${target.name}`, async () => {
      await stopAll();
      await Promise.all(apps.map((app) => app.close()));
    });
    await cleanUpWithin(CLEANUP_LIMIT_MS, `dropping the database on ${target.name}`, () =>
      dropDatabase(target, config.mongo!.database),
    );
    await cleanUpWithin(CLEANUP_LIMIT_MS, `deleting the topics and group of ${target.name}`, () =>
      deleteTopicsAndGroups(kafka, [changesTopic, deadLetterTopic], [consumerGroup]),
    );
  };
  try {
    for (let instance = 0; instance < instances; instance += 1) {
      const app = await startProjectorContext(config);
      apps.push(app);
      projectors.push(
        new KafkaProjector(
          app.get(KafkaEventConsumer),
          app.get(ProjectionEngine),
          app.get(AppliedPositions),
          config,
        ),
      );
    }
    const result = await work(projectors, stallWatch);
    stallWatch.stop();
    await stopAll();
    return {
      result,
      assertProjectedBy: async (workload) => {
        try {
          await assertProjected(apps[0], workload);
        } finally {
          await cleanUp();
        }
      },
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

/** Until the group has committed `ends`, advancing on each commit; fails when a projector fails or stalls. */
async function untilGroupCommitted(
  projectors: readonly KafkaProjector[],
  stallWatch: StallWatch,
  eventsTopic: string,
  consumerGroup: string,
  ends: ReadonlyMap<number, string>,
  advance: (count: number) => void,
): Promise<void> {
  await Promise.race([
    untilCommitted(testKafkaClient(), consumerGroup, eventsTopic, ends, (committed) => {
      stallWatch.progressed();
      advance(committed);
    }),
    ...projectors.map((projector) => projector.failure.then((error) => Promise.reject(error))),
    stallWatch.stalled,
  ]);
}

/** This process's CPU time (user and system, all threads) since `start`. */
function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1e6;
}

function productionConfig(target: MongoTarget, eventsTopic: string): AppConfig {
  return uniqueProductionConfig(target.uri, {
    KAFKA_EVENTS_TOPIC: eventsTopic,
    KAFKA_TOPIC_PARTITIONS: PARTITIONS,
    LOG_LEVEL: 'warn',
  });
}

async function dropDatabase(target: MongoTarget, database: string): Promise<void> {
  const client = new MongoClient(target.uri);
  try {
    await client.db(database).dropDatabase();
  } finally {
    await client.close();
  }
}

function phase(label: string, total: number) {
  return { label: `catch-up: ${label}`, total, unit: 'events' };
}
