import { EventConsumerSettings, KafkaEventConsumer } from '@app/kafka';
import { LogRecord } from '@app/ports';
import { Partitioners } from 'kafkajs';
import { eventually } from '../contracts/contract-support';
import { uniqueName } from '../support/infra';
import { deleteTopics, testKafkaClient } from '../support/kafka';

const kafka = testKafkaClient();

describe(`${KafkaEventConsumer.name} on the broker`, () => {
  let settings: EventConsumerSettings;
  const consumers: KafkaEventConsumer[] = [];

  beforeEach(async () => {
    settings = {
      topic: uniqueName('consumed'),
      groupId: uniqueName('group'),
      maxRecordsPerBatch: 10,
      shutdownGraceMs: 60_000,
      stuckSliceMs: 60_000,
    };
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: settings.topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
  });
  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((consumer) => consumer.stop()));
    await deleteTopics(kafka, [settings.topic]);
  });

  const consumer = (overrides: Partial<EventConsumerSettings> = {}) => {
    const created = new KafkaEventConsumer(kafka, { ...settings, ...overrides });
    consumers.push(created);
    return created;
  };

  async function produce(count: number, from = 0): Promise<void> {
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({
      topic: settings.topic,
      messages: Array.from({ length: count }, (_unused, index) => ({
        key: 'session-1',
        value: `record ${from + index}`,
      })),
    });
    await producer.disconnect();
  }

  async function committedOffset(): Promise<string> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const [{ partitions }] = await admin.fetchOffsets({
        groupId: settings.groupId,
        topics: [settings.topic],
      });
      return partitions[0].offset;
    } finally {
      await admin.disconnect();
    }
  }

  const values = (records: readonly LogRecord[]) => records.map((record) => record.value.toString());

  it('hands over records in order, in slices of at most maxRecordsPerBatch, committing each slice', async () => {
    await produce(25);
    const slices: LogRecord[][] = [];
    await consumer().start(async (records) => {
      slices.push([...records]);
    });
    await eventually(async () => expect(await committedOffset()).toBe('25'));
    expect(slices.every((slice) => slice.length > 0 && slice.length <= 10)).toBe(true);
    expect(slices.flatMap(values)).toEqual(Array.from({ length: 25 }, (_unused, index) => `record ${index}`));
    expect(slices.flat().map(({ key, source }) => ({ key, source }))).toEqual(
      Array.from({ length: 25 }, (_unused, index) => ({
        key: 'session-1',
        source: { topic: settings.topic, partition: 0, offset: String(index) },
      })),
    );
  });

  it('commits nothing for a slice whose handler failed, and hands it over again', async () => {
    await produce(3);
    const attempts: string[][] = [];
    await consumer().start(async (records) => {
      attempts.push(values(records));
      if (attempts.length === 1) throw new Error('the store is down');
    });
    await eventually(async () => expect(await committedOffset()).toBe('3'));
    expect(attempts).toEqual([
      ['record 0', 'record 1', 'record 2'],
      ['record 0', 'record 1', 'record 2'],
    ]);
  });

  it('keeps its partitions through a slice that outlasts the session timeout', async () => {
    await produce(2);
    const delivered: string[] = [];
    await consumer().start(async (records) => {
      delivered.push(...values(records));
      // Past the group's session timeout: only the heartbeats sent meanwhile keep this member in the group.
      if (delivered.length === 2) await new Promise((resolve) => setTimeout(resolve, 12_000));
    });
    await eventually(async () => expect(await committedOffset()).toBe('2'));
    expect(delivered).toEqual(['record 0', 'record 1']);
  });

  it('reports a slice that runs past stuckSliceMs as stuck, and no longer once it ends', async () => {
    await produce(1);
    let finish!: () => void;
    const subject = consumer({ stuckSliceMs: 200 });
    await subject.start(() => new Promise<void>((resolve) => (finish = resolve)));
    await eventually(() =>
      expect(subject.stuckSlice()).toMatch(
        /^a slice of partition 0 has been projecting for \d+ s, over 0\.2 s/,
      ),
    );
    finish();
    await eventually(async () => expect(await committedOffset()).toBe('1'));
    expect(subject.stuckSlice()).toBeUndefined();
  });

  it('abandons a slice still running when the grace period of a stop ends, leaving it to the next member', async () => {
    await produce(2);
    const impatient = consumer({ shutdownGraceMs: 200 });
    let started!: () => void;
    const handling = new Promise<void>((resolve) => (started = resolve));
    await impatient.start(async () => {
      started();
      await new Promise(() => undefined);
    });
    await handling;
    await impatient.stop();
    expect(impatient.state).toBe('stopped');

    const next: string[] = [];
    await consumer().start(async (records) => {
      next.push(...values(records));
    });
    await eventually(async () => expect(await committedOffset()).toBe('2'));
    expect(next).toEqual(['record 0', 'record 1']);
  });

  it('finishes and commits the slice in flight when it completes within the grace period', async () => {
    await produce(2);
    const finishing = consumer();
    let release!: () => void;
    let started!: () => void;
    const handling = new Promise<void>((resolve) => (started = resolve));
    await finishing.start(async () => {
      started();
      await new Promise<void>((resolve) => (release = resolve));
    });
    await handling;
    const stopping = finishing.stop();
    release();
    await stopping;
    expect(await committedOffset()).toBe('2');
  });
});
