import { AppConfig } from '@app/config';
import { SessionEvent } from '@app/domain';
import { MongoViewGenerations } from '@app/mongo';
import { DeadLetterReason, ViewGenerations, ViewStore } from '@app/ports';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Partitioners } from 'kafkajs';
import { Db } from 'mongodb';
import { eventually, uniqueSessionId } from '../contracts/contract-support';
import {
  realisticHistory,
  sessionEvent,
  sessionEvents,
  textBlock,
  uuidFor,
} from '../factories/session-events';
import { mongoTargets } from '../support/infra';
import { testKafkaClient, uniqueProductionConfig } from '../support/kafka';
import {
  deadLetters,
  dropProjectorResources,
  metricValue,
  referenceViews,
  startProjector,
  storedViews,
  untilStored,
} from '../support/projector';

// Bounds a hang only: several projector runs against real servers need more than the project's 120 s.
jest.setTimeout(180_000);

/** Far below MongoDB's 16 MiB, so a view outgrows it with one event of tens of kilobytes. */
const DOCUMENT_LIMIT_BYTES = 16 * 1024;

/** The real MongoDB views, only with a smaller document limit: the projector's size check is what is tested. */
function withDocumentLimit(generations: ViewGenerations): ViewGenerations {
  const limited = (store: ViewStore) =>
    new Proxy(store, {
      get: (target, key, receiver) =>
        key === 'maxDocumentBytes' ? DOCUMENT_LIMIT_BYTES : Reflect.get(target, key, receiver),
    });
  return new Proxy(generations, {
    get: (target, key, receiver) =>
      key === 'store'
        ? (generation: string) => limited(target.store(generation))
        : Reflect.get(target, key, receiver),
  });
}

interface RawRecord {
  key: string;
  value: string;
  /** The reason it must be dead-lettered with; undefined for a good event. */
  poison?: DeadLetterReason;
}

const good = (event: SessionEvent): RawRecord => ({ key: event.session_id, value: JSON.stringify(event) });
const poison = (key: string, value: unknown, reason: DeadLetterReason): RawRecord => ({
  key,
  value: typeof value === 'string' ? value : JSON.stringify(value),
  poison: reason,
});

describe.each(mongoTargets())('projector on Kafka with poison records (views on $name)', (target) => {
  let config: AppConfig;
  let projector: NestFastifyApplication;

  beforeEach(async () => {
    // One partition: every poison record sits in front of good events that must still be applied.
    config = uniqueProductionConfig(target.uri, { KAFKA_TOPIC_PARTITIONS: '1' });
    projector = await startProjector(config, (builder) =>
      builder.overrideProvider(ViewGenerations).useFactory({
        factory: (db: Db) => withDocumentLimit(new MongoViewGenerations(db)),
        inject: [Db],
      }),
    );
  });
  afterEach(async () => {
    await projector.close();
    await dropProjectorResources(config);
  });

  async function produce(records: RawRecord[]): Promise<void> {
    const producer = testKafkaClient().producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    try {
      await producer.send({
        topic: config.kafka!.eventsTopic,
        acks: -1,
        messages: records.map(({ key, value }) => ({ key, value })),
      });
    } finally {
      await producer.disconnect();
    }
  }

  it('dead-letters each kind of poison with its reason and source, and applies the good events around them', async () => {
    const a = realisticHistory(uniqueSessionId('a'));
    const b = uniqueSessionId('b');
    const [cCreated, cTooLarge] = sessionEvents(uniqueSessionId('c'))
      .created()
      .contextAppended([
        { id: 'huge', content: [textBlock('x'.repeat(2 * DOCUMENT_LIMIT_BYTES), 'huge-text')] },
      ]).events;
    const sessionA = a[0].session_id;

    const first: RawRecord[] = [
      good(a[0]),
      poison(sessionA, 'this is not JSON {', DeadLetterReason.InvalidEvent),
      poison(sessionA, { ...a[1], data: {} }, DeadLetterReason.InvalidEvent),
      poison(sessionA, { ...a[1], type: 'session.exploded' }, DeadLetterReason.InvalidEvent),
      poison(
        b,
        sessionEvent('session.run_started', { reply_id: 'reply-1' }, { session_id: b, seq: 1 }),
        DeadLetterReason.FoldRejected,
      ),
      poison(
        sessionA,
        { ...a[0], event_id: uuidFor(`${sessionA}#another-first`) },
        DeadLetterReason.ArchiveConflict,
      ),
      good(cCreated),
      poison(cCreated.session_id, cTooLarge, DeadLetterReason.ViewTooLarge),
      ...a.slice(1, 10).map(good),
    ];
    await produce(first);

    const expectedLetters = first
      .map((record, offset) => ({ record, offset }))
      .filter(({ record }) => record.poison !== undefined);
    const letters = await eventually(async () => {
      const found = await deadLetters(config);
      expect(found).toHaveLength(expectedLetters.length);
      return found;
    }, 90_000);
    const byOffset = [...letters].sort((x, y) => Number(x.source.offset) - Number(y.source.offset));
    expect(
      byOffset.map(({ payload, key, reason, source }) => ({
        payload: payload.toString(),
        key,
        reason,
        source,
      })),
    ).toEqual(
      expectedLetters.map(({ record, offset }) => ({
        payload: record.value,
        key: record.key,
        reason: record.poison,
        source: { topic: config.kafka!.eventsTopic, partition: 0, offset: String(offset) },
      })),
    );
    for (const letter of letters) {
      expect(letter.detail.length).toBeGreaterThan(0);
      expect(Number.isNaN(Date.parse(letter.failedAt))).toBe(false);
    }
    expect(byOffset[0].detail).toMatch(/invalid JSON/);
    expect(byOffset[1].detail).toContain('data.config');
    expect(byOffset[2].detail).toMatch(/^type: /);

    // Later batches of the same partition still go through.
    await produce(a.slice(10).map(good));
    await untilStored(projector, referenceViews([...a, cCreated]));
    expect((await storedViews(projector, [b])).size).toBe(0);
    for (const reason of Object.values(DeadLetterReason)) {
      const expected = expectedLetters.filter(({ record }) => record.poison === reason).length;
      expect(await metricValue(projector, 'projector_events_dead_lettered_total', { reason })).toBe(expected);
    }
  });
});
