import { Consumer, Kafka, logLevel, Partitioners } from 'kafkajs';
import { Db, MongoClient, MongoServerError } from 'mongodb';
import { kafkaBrokers, mongoTargets, uniqueName } from '../support/infra';

/**
 * Proves that the servers the integration suites run against support what the adapters rely on, through
 * the same clients the adapters use.
 */
describe('Kafka through kafkajs', () => {
  const kafka = new Kafka({ clientId: 'infra-smoke', brokers: kafkaBrokers(), logLevel: logLevel.WARN });
  const admin = kafka.admin();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  const topic = uniqueName('smoke');
  const groupId = uniqueName('smoke-group');

  beforeAll(async () => {
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await producer.connect();
  });

  afterAll(async () => {
    await producer.disconnect();
    await admin.deleteTopics({ topics: [topic] });
    await admin.disconnect();
  });

  // A short fetch wait lets `disconnect()` return promptly instead of waiting out an empty long poll.
  const consumer = () => kafka.consumer({ groupId, maxWaitTimeInMs: 100 });

  const produce = (values: string[]) =>
    producer.send({ topic, messages: values.map((value) => ({ key: 'session-1', value })) });

  /** Runs the consumer until it has received `count` messages; offsets are committed only on request. */
  async function receive(consumer: Consumer, count: number): Promise<string[]> {
    const values: string[] = [];
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((received, failed) => {
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ message }) => {
            values.push(message.value?.toString() ?? '');
            if (values.length === count) received();
          },
        })
        .catch(failed);
    });
    return values;
  }

  it('delivers to a consumer group and resumes a new member from the committed offset', async () => {
    await produce(['e1', 'e2', 'e3']);

    const first = consumer();
    await first.connect();
    try {
      expect(await receive(first, 3)).toEqual(['e1', 'e2', 'e3']);
      await first.commitOffsets([{ topic, partition: 0, offset: '3' }]);
    } finally {
      await first.disconnect();
    }

    expect(await admin.fetchOffsets({ groupId, topics: [topic] })).toEqual([
      { topic, partitions: [expect.objectContaining({ partition: 0, offset: '3' })] },
    ]);

    await produce(['e4', 'e5']);
    const second = consumer();
    await second.connect();
    try {
      expect(await receive(second, 2)).toEqual(['e4', 'e5']);
    } finally {
      await second.disconnect();
    }
  });
});

describe.each(mongoTargets())('MongoDB driver on $name', ({ uri }) => {
  const client = new MongoClient(uri);
  let db: Db;

  beforeAll(async () => {
    await client.connect();
    db = client.db(uniqueName('smoke'));
  });

  afterAll(async () => {
    await db.dropDatabase();
    await client.close();
  });

  interface VersionedView {
    _id: string;
    version: number;
    title: string;
  }

  it('finds documents with $in', async () => {
    const views = db.collection<VersionedView>('views_in');
    await views.insertMany([
      { _id: 'a', version: 1, title: 'A' },
      { _id: 'b', version: 1, title: 'B' },
      { _id: 'c', version: 1, title: 'C' },
    ]);

    const found = await views
      .find({ _id: { $in: ['a', 'c', 'missing'] } })
      .sort({ _id: 1 })
      .toArray();

    expect(found.map((view) => view._id)).toEqual(['a', 'c']);
  });

  it('applies a replaceOne upsert guarded by version only when the write is newer', async () => {
    const views = db.collection<VersionedView>('views_replace');
    const write = (view: VersionedView) =>
      views.replaceOne({ _id: view._id, version: { $lt: view.version } }, view, { upsert: true });

    expect((await write({ _id: 's1', version: 1, title: 'first' })).upsertedCount).toBe(1);
    expect((await write({ _id: 's1', version: 2, title: 'second' })).modifiedCount).toBe(1);
    // The guard matches nothing, so the upsert tries to insert the existing _id: a stale write is refused.
    await expect(write({ _id: 's1', version: 1, title: 'stale' })).rejects.toMatchObject({ code: 11000 });

    expect(await views.findOne({ _id: 's1' })).toEqual({ _id: 's1', version: 2, title: 'second' });
  });

  it('applies an updateOne guarded by the expected version only once', async () => {
    const views = db.collection<VersionedView>('views_update');
    const upsert = await views.updateOne(
      { _id: 's2', version: 0 },
      { $set: { title: 'created' }, $inc: { version: 1 } },
      { upsert: true },
    );
    expect(upsert.upsertedCount).toBe(1);

    const advance = () =>
      views.updateOne({ _id: 's2', version: 1 }, { $set: { title: 'advanced' }, $inc: { version: 1 } });
    expect((await advance()).modifiedCount).toBe(1);
    expect((await advance()).matchedCount).toBe(0);

    expect(await views.findOne({ _id: 's2' })).toEqual({ _id: 's2', version: 2, title: 'advanced' });
  });

  it('rejects a unique index violation with code 11000', async () => {
    const events = db.collection<{ event_id: string }>('events_unique');
    await events.createIndex({ event_id: 1 }, { unique: true });
    await events.insertOne({ event_id: 'e-1' });

    const duplicate = await events.insertOne({ event_id: 'e-1' }).catch((error: unknown) => error);

    expect(duplicate).toBeInstanceOf(MongoServerError);
    expect(duplicate).toMatchObject({ code: 11000 });
    expect(await events.countDocuments({ event_id: 'e-1' })).toBe(1);
  });

  it('counts, sorts, skips and limits', async () => {
    const items = db.collection<{ n: number; even: boolean }>('items_paged');
    await items.insertMany(Array.from({ length: 10 }, (_, n) => ({ n, even: n % 2 === 0 })));

    const page = await items
      .find({}, { projection: { _id: 0, n: 1 } })
      .sort({ n: -1 })
      .skip(2)
      .limit(3)
      .toArray();

    expect(page).toEqual([{ n: 7 }, { n: 6 }, { n: 5 }]);
    expect(await items.countDocuments({ even: true })).toBe(5);
  });
});
