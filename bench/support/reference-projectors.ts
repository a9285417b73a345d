import { applyEvent, SessionEvent, SessionProjection } from '@app/domain';
import { Consumer, Kafka, KafkaMessage, Producer } from 'kafkajs';
import {
  AnyBulkWriteOperation,
  Collection,
  Db,
  MongoBulkWriteError,
  MongoClient,
  WriteConcernSettings,
} from 'mongodb';
import { uniqueName } from '../../test/support/infra';
import { deleteTopicsAndGroups, untilCommitted } from './kafka-log';
import { Advance } from './measure';

// The ceilings of the catch-up benchmark: the projector's necessary work written as plainly as possible, so the
// distance between them and the projector is the cost of the project's own code. Each consumes the whole events
// topic in a consumer group of its own, into a database of its own, and publishes changes to a topic of its own.

const DUPLICATE_KEY = 11000;

export interface ReferenceRun {
  kafka: Kafka;
  eventsTopic: string;
  /** Where each partition ends: the reference is done once its group has committed these. */
  ends: ReadonlyMap<number, string>;
  advance: Advance;
}

/** What a reference needs while it runs, created before the clock starts and dropped after it stops. */
export interface ReferenceResources {
  db: Db;
  archive: Collection<{ _id: string }>;
  views: Collection<SessionProjection & { _id: string }>;
  positions: Collection<{ _id: number; next: number }>;
  producer: Producer;
  /** Connected; the reference subscribes and runs it. Disconnected after the clock stops, since leaving the group
   * waits out the fetch in flight (up to 5 s), which the projector's figure does not include either. */
  consumer: Consumer;
  changesTopic: string;
  groupId: string;
}

/**
 * The minimal pipeline: per slice of `batchSize` records, parse, archive with one unordered insertMany under
 * the same unique indexes (duplicates told apart by their key errors), one read of the slice's views, the project's
 * own fold in memory, one bulk replace, one change per touched session, the applied position, then commit.
 *
 * `batchSize` is the projector's batch (PROJECTOR_BATCH_SIZE), by which its consumer slices each fetched batch and
 * commits every slice on its own. Given whole fetches instead (about 2,000 events a partition at 1 MiB a fetch), the
 * pipeline would make a quarter of the projector's round trips, and the comparison would measure the batch size.
 */
export async function runMinimalPipeline(
  run: ReferenceRun,
  resources: ReferenceResources,
  batchSize: number,
): Promise<void> {
  const { consumer } = resources;
  await consumer.subscribe({ topics: [run.eventsTopic], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      for (let start = 0; start < batch.messages.length; start += batchSize) {
        const slice = batch.messages.slice(start, start + batchSize);
        await projectSlice(resources, slice);
        const last = slice[slice.length - 1];
        // The applied position a read-your-writes read waits for, as the projector records it.
        await resources.positions.updateOne(
          { _id: batch.partition },
          { $max: { next: Number(last.offset) + 1 } },
          { upsert: true },
        );
        await consumer.commitOffsets([
          { topic: batch.topic, partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() },
        ]);
        run.advance(slice.length);
      }
    },
  });
  await untilCommitted(run.kafka, resources.groupId, run.eventsTopic, run.ends);
}

async function projectSlice(resources: ReferenceResources, messages: readonly KafkaMessage[]): Promise<void> {
  const events = messages.map((message) => JSON.parse(message.value!.toString('utf8')) as SessionEvent);
  await archiveAll(resources.archive, events);
  const ids = [...new Set(events.map((event) => event.session_id))];
  const stored = await resources.views.find({ _id: { $in: ids } }).toArray();
  const projections = new Map<string, SessionProjection | undefined>(stored.map((view) => [view._id, view]));
  const touched = new Set<string>();
  for (const event of events) {
    const outcome = applyEvent(projections.get(event.session_id), event);
    if (outcome.kind !== 'applied') continue;
    projections.set(event.session_id, outcome.projection);
    touched.add(event.session_id);
  }
  if (touched.size === 0) return;
  await resources.views.bulkWrite(
    [...touched].map((id): AnyBulkWriteOperation<SessionProjection & { _id: string }> => ({
      replaceOne: { filter: { _id: id }, replacement: projections.get(id)!, upsert: true },
    })),
    { ordered: false },
  );
  await resources.producer.send({
    topic: resources.changesTopic,
    messages: [...touched].map((id) => ({ key: id, value: JSON.stringify(projections.get(id)) })),
  });
}

/**
 * The typical per-message handler, as a NestJS `@EventPattern` handler is usually written: for every message, find
 * the view, fold the event into it, update it, publish one change, and let the client commit. Stops after
 * `budgetSeconds` and resolves with the events it handled by then, since it is far slower than the others.
 */
export async function runPerMessageHandler(
  run: ReferenceRun,
  resources: ReferenceResources,
  budgetSeconds: number,
): Promise<number> {
  let handled = 0;
  const { consumer } = resources;
  await consumer.subscribe({ topics: [run.eventsTopic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const event = JSON.parse(message.value!.toString('utf8')) as SessionEvent;
      await archiveAll(resources.archive, [event]);
      const stored = await resources.views.findOne({ _id: event.session_id });
      const outcome = applyEvent(stored ?? undefined, event);
      if (outcome.kind === 'applied') {
        await resources.views.updateOne(
          { _id: event.session_id },
          { $set: outcome.projection },
          { upsert: true },
        );
        await resources.producer.send({
          topic: resources.changesTopic,
          messages: [{ key: event.session_id, value: JSON.stringify(outcome.projection) }],
        });
      }
      handled += 1;
      run.advance(1);
    },
  });
  await Promise.race([
    untilCommitted(run.kafka, resources.groupId, run.eventsTopic, run.ends),
    new Promise((resolve) => setTimeout(resolve, budgetSeconds * 1000)),
  ]);
  return handled;
}

async function archiveAll(
  archive: Collection<{ _id: string }>,
  events: readonly SessionEvent[],
): Promise<void> {
  try {
    await archive.insertMany(
      events.map((event) => ({ _id: event.event_id, ...event })),
      { ordered: false },
    );
  } catch (error) {
    const onlyRepeats =
      error instanceof MongoBulkWriteError &&
      (Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors]).every(
        (writeError) => writeError.code === DUPLICATE_KEY,
      );
    if (!onlyRepeats) throw error;
  }
}

/** Runs `work` with a fresh database, changes topic and consumer group of its own, and drops them afterwards. */
export async function withReferenceResources<T>(
  kafka: Kafka,
  mongo: { uri: string; writeConcern: WriteConcernSettings },
  kind: string,
  work: (resources: ReferenceResources) => Promise<T>,
): Promise<T> {
  // The projector's write concern: what makes its acknowledgements durable is necessary work, not overhead.
  const client = new MongoClient(mongo.uri, { writeConcern: mongo.writeConcern });
  const db = client.db(uniqueName(`bench_${kind.replace('-', '_')}`));
  const producer = kafka.producer();
  const groupId = uniqueName(`bench-${kind}`);
  const consumer = kafka.consumer({ groupId });
  const resources: ReferenceResources = {
    db,
    archive: db.collection('session_events'),
    views: db.collection('session_views'),
    positions: db.collection('projection_positions'),
    producer,
    consumer,
    changesTopic: uniqueName(`bench-${kind}-changes`),
    groupId,
  };
  const admin = kafka.admin();
  try {
    await resources.archive.createIndex({ session_id: 1, seq: 1 }, { unique: true });
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: resources.changesTopic }], waitForLeaders: true });
    await producer.connect();
    await consumer.connect();
    return await work(resources);
  } finally {
    await consumer.disconnect();
    await admin.disconnect();
    await producer.disconnect();
    await db.dropDatabase();
    await client.close();
    await deleteTopicsAndGroups(kafka, [resources.changesTopic], [resources.groupId]);
  }
}
