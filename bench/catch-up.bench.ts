import { AppConfig } from '@app/config';
import { SessionEvent } from '@app/domain';
import { KafkaEventConsumer } from '@app/kafka';
import { ProjectionEngine } from '@app/projection';
import { MongoClient } from 'mongodb';
import { MongoTarget, uniqueName } from '../test/support/infra';
import { testKafkaClient, uniqueProductionConfig } from '../test/support/kafka';
import { Benchmark, BenchContext, Ceiling } from './support/benchmark';
import {
  createEventsTopic,
  deleteTopicsAndGroups,
  endOffsets,
  publishEvents,
  readWholeTopic,
  untilCommitted,
} from './support/kafka-log';
import { cleanUpWithin, StallWatch } from './support/deadlines';
import { Measured, measure } from './support/measure';
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
/** The projector's batch (PROJECTOR_BATCH_SIZE's default): publishing and the ceiling's inserts go by the same. */
const BATCH = 500;
/** Far longer than any batch takes; a projector that finishes none in this long is stuck on its server. */
const STALL_LIMIT_MS = 60_000;
const CLEANUP_LIMIT_MS = 30_000;

export const catchUpBenchmark: Benchmark = {
  name: 'catch-up',
  description:
    `the production projector (KafkaEventConsumer + ProjectionEngine on the MongoDB adapters) catching up on a ` +
    `fresh topic from offset 0, on each MongoDB-compatible server, in events/s vs a raw insertMany of the same ` +
    `events into the same server (--events, default ${DEFAULT_EVENTS.toLocaleString('en-US')})`,
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
        const ceiling = await bulkInsertCeiling(target, workload.events);
        await projectFromOffsetZero(
          context,
          productionConfig(target, eventsTopic),
          target,
          workload,
          ends,
          ceiling,
        );
      }
    } finally {
      await deleteTopicsAndGroups(kafka, [eventsTopic], []);
    }
  },
};

/**
 * Times the projector from its start (joining the group included) until the group has committed the end of every
 * partition, checks that every event reached the archive and its view, and records the rate.
 */
async function projectFromOffsetZero(
  { record }: BenchContext,
  config: AppConfig,
  target: MongoTarget,
  workload: Workload,
  ends: ReadonlyMap<number, string>,
  ceiling: Ceiling,
): Promise<void> {
  const kafka = testKafkaClient();
  const { eventsTopic, changesTopic, deadLetterTopic, consumerGroup } = config.kafka!;
  const total = workload.events.length;
  const app = await startProjectorContext(config);
  const consumer = app.get(KafkaEventConsumer);
  const stallWatch = new StallWatch(STALL_LIMIT_MS, `the projector on ${target.name}`);
  try {
    const engine = app.get(ProjectionEngine);
    const projected = await measure(phase(`projector on ${target.name}`, total), async (advance) => {
      await consumer.start(async (records) => {
        await engine.process(records);
        stallWatch.progressed();
        advance(records.length);
      });
      await Promise.race([
        untilCommitted(kafka, consumerGroup, eventsTopic, ends),
        consumer.failure.then((error) => Promise.reject(error)),
        stallWatch.stalled,
      ]);
    });
    stallWatch.stop();
    await consumer.stop();
    await assertProjected(app, workload);
    record({
      name: `catch-up: projector on ${target.name}`,
      value: total / projected.seconds,
      unit: 'events/s',
      ceiling,
      memory: projected.memory,
    });
  } finally {
    stallWatch.stop();
    await cleanUpWithin(CLEANUP_LIMIT_MS, `stopping the projector on ${target.name}`, async () => {
      await consumer.stop();
      await app.close();
    });
    await cleanUpWithin(CLEANUP_LIMIT_MS, `dropping the database on ${target.name}`, () =>
      dropDatabase(target, config.mongo!.database),
    );
    await cleanUpWithin(CLEANUP_LIMIT_MS, `deleting the topics and group of ${target.name}`, () =>
      deleteTopicsAndGroups(kafka, [changesTopic, deadLetterTopic], [consumerGroup]),
    );
  }
}

/**
 * The events stored by the server with nothing else: one unordered insertMany per batch of documents shaped like
 * the archive's (the event as a JSON string beside its ids) under the archive's unique index on (session, seq).
 * The projector writes these same documents, and on top reads and writes each batch's views.
 */
async function bulkInsertCeiling(target: MongoTarget, events: readonly SessionEvent[]): Promise<Ceiling> {
  const database = uniqueName('bench_ceiling');
  const client = new MongoClient(target.uri);
  try {
    const collection = client.db(database).collection<{ _id: string }>('session_events');
    await collection.createIndex({ session_id: 1, seq: 1 }, { unique: true });
    const inserted: Measured = await measure(
      phase(`insertMany into ${target.name}`, events.length),
      async (advance) => {
        for (let start = 0; start < events.length; start += BATCH) {
          const batch = events.slice(start, start + BATCH);
          await collection.insertMany(
            batch.map((event) => ({
              _id: event.event_id,
              session_id: event.session_id,
              seq: event.seq,
              occurred_at: event.occurred_at,
              event: JSON.stringify(event),
            })),
            { ordered: false },
          );
          advance(batch.length);
        }
      },
    );
    return { name: `${target.name} insertMany`, value: events.length / inserted.seconds };
  } finally {
    await client.db(database).dropDatabase();
    await client.close();
  }
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
