import { randomUUID } from 'node:crypto';
import { Kafka, KafkaMessage } from 'kafkajs';
import { toKafkaError, withKafkaAdmin } from '@app/kafka-log';

export interface TopicRecord {
  partition: number;
  message: KafkaMessage;
}

export interface TopicRange {
  /** Where each partition starts; a partition not named starts at its first offset still kept. */
  from?: ReadonlyMap<number, bigint>;
}

/**
 * Reads a topic from its start (or the given offsets) up to the end each partition had when the read began, in a
 * consumer group of its own that commits nothing: operators' reads never move the projector's group, and records
 * produced meanwhile are left for the next read. Each partition's records reach `handle` in offset order; the next
 * batch is fetched only once `handle` resolved.
 */
export async function readTopicToEnd(
  kafka: Kafka,
  topic: string,
  handle: (records: readonly TopicRecord[]) => Promise<void>,
  { from }: TopicRange = {},
): Promise<void> {
  const offsets = await withKafkaAdmin(kafka, `reading the offsets of ${topic}`, (admin) =>
    admin.fetchTopicOffsets(topic),
  );
  const starts = new Map<number, bigint>();
  const ends = new Map<number, bigint>();
  for (const { partition, low, high } of offsets) {
    const start = from?.get(partition) ?? BigInt(low);
    const bounded = start < BigInt(low) ? BigInt(low) : start;
    if (bounded < BigInt(high)) {
      starts.set(partition, bounded);
      ends.set(partition, BigInt(high));
    }
  }
  if (ends.size === 0) return;

  const consumer = kafka.consumer({ groupId: `reader-${randomUUID()}`, allowAutoTopicCreation: false });
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((done, fail) => {
      consumer
        .run({
          autoCommit: false,
          eachBatchAutoResolve: false,
          eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
            const end = ends.get(batch.partition);
            if (end === undefined) return;
            const wanted = batch.messages
              .filter(({ offset }) => BigInt(offset) < end)
              .map((message) => ({ partition: batch.partition, message }));
            try {
              if (wanted.length > 0) await handle(wanted);
            } catch (error) {
              fail(error);
              throw error;
            }
            const last = batch.messages[batch.messages.length - 1];
            if (last) resolveOffset(last.offset);
            await heartbeat();
            if (last && BigInt(last.offset) + 1n >= end) {
              ends.delete(batch.partition);
              if (ends.size === 0) done();
            }
          },
        })
        .catch(fail);
      // The group is new, so it has nothing committed: each partition starts where it was asked to.
      for (const [partition, offset] of starts)
        consumer.seek({ topic, partition, offset: offset.toString() });
    });
  } catch (error) {
    throw toKafkaError(error, `reading ${topic}`);
  } finally {
    await consumer.disconnect();
  }
}
