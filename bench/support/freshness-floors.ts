import { KafkaConfig } from '@app/config';
import { SessionEvent } from '@app/domain';
import Database from 'better-sqlite3';
import { Kafka } from 'kafkajs';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { uniqueName } from '../../test/support/infra';
import { cleanUpWithin } from './deadlines';
import { createEventsTopic, deleteTopicsAndGroups } from './kafka-log';

/**
 * The least time in which the log can make a write visible to its reader: what a write-to-visible latency is
 * compared with. `sample` appends the event and resolves with the milliseconds until the reader holds it.
 */
export interface FreshnessFloor {
  name: string;
  sample(event: SessionEvent): Promise<number>;
  close(): Promise<void>;
}

/**
 * SQLite append → a minimal tailer: one insert committed with the store's durability (WAL, a sync at every commit),
 * then the reader, woken in the same process as the store's tailer is by its log, reads the rows after its
 * position and finds the row.
 */
export function sqliteFloor(dataDir: string): FreshnessFloor {
  const database = new Database(join(dataDir, 'floor.db'));
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = FULL');
  database.exec('CREATE TABLE events (position INTEGER PRIMARY KEY AUTOINCREMENT, event TEXT NOT NULL)');
  const append = database.prepare('INSERT INTO events (event) VALUES (?)');
  const after = database.prepare<[number], { position: number; event: string }>(
    'SELECT position, event FROM events WHERE position > ? ORDER BY position LIMIT 500',
  );
  let readerPosition = 0;
  return {
    name: 'SQLite append → woken reader',
    async sample(event) {
      const startedAt = process.hrtime.bigint();
      const appended = Number(append.run(JSON.stringify(event)).lastInsertRowid);
      await nextTurn();
      const rows = after.all(readerPosition);
      const ms = Number(process.hrtime.bigint() - startedAt) / 1e6;
      if (!rows.some((row) => row.position === appended)) throw new Error('the floor reader missed its row');
      readerPosition = rows[rows.length - 1].position;
      return ms;
    },
    async close() {
      database.close();
    },
  };
}

/** Far above a healthy delivery; a record that takes this long means the broker or the consumer is stuck. */
const DELIVERY_GIVE_UP_MS = 60_000;
const CLEANUP_LIMIT_MS = 30_000;

/**
 * Kafka produce → consume: a record produced with acks from every in-sync replica (idempotent, as the apps'
 * producer) to a topic with the events topic's settings, timed until a consumer of a group of its own receives it.
 */
export async function kafkaFloor(kafka: Kafka, config: KafkaConfig): Promise<FreshnessFloor> {
  const topic = uniqueName('bench-floor');
  const groupId = uniqueName('bench-floor');
  await createEventsTopic(kafka, { ...config, eventsTopic: topic });
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  const waiting = new Map<string, () => void>();
  let counter = 0;
  const close = () =>
    cleanUpWithin(CLEANUP_LIMIT_MS, 'removing the floor topic', async () => {
      await consumer.disconnect();
      await producer.disconnect();
      await deleteTopicsAndGroups(kafka, [topic], [groupId]);
    });
  const sample = async (event: SessionEvent): Promise<number> => {
    const key = `floor-${(counter += 1)}`;
    const startedAt = process.hrtime.bigint();
    const delivered = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`record ${key} never reached the consumer`)),
        DELIVERY_GIVE_UP_MS,
      );
      waiting.set(key, () => {
        clearTimeout(timer);
        resolve();
      });
    });
    await producer.send({ topic, acks: -1, messages: [{ key, value: JSON.stringify(event) }] });
    await delivered;
    return Number(process.hrtime.bigint() - startedAt) / 1e6;
  };
  try {
    await producer.connect();
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ message }) => {
        const key = message.key?.toString('utf8') ?? '';
        waiting.get(key)?.();
        waiting.delete(key);
      },
    });
  } catch (error) {
    await close();
    throw error;
  }
  return { name: 'Kafka produce (acks all) → consumer', sample, close };
}
