import { Kafka, KafkaMessage, logLevel } from 'kafkajs';
import { AppConfig, loadConfig } from '@app/config';
import { withKafkaAdmin } from '@app/kafka';
import { kafkaBrokers, uniqueName } from './infra';

// Reading topics back and building configurations for the suites that run the Kafka adapters and the projector.
// Tests may use the client directly: they check what the adapters put on the broker, byte for byte.

export function testKafkaClient(): Kafka {
  return new Kafka({ clientId: 'test-support', brokers: kafkaBrokers(), logLevel: logLevel.ERROR });
}

/**
 * The environment of a production configuration on the test servers with topics, consumer group and database of
 * its own, so suites can share the brokers. Unset variables keep their defaults.
 */
export function uniqueProductionEnv(
  mongoUri: string,
  env: Record<string, string> = {},
): Record<string, string> {
  return {
    KAFKA_BROKERS: kafkaBrokers().join(','),
    KAFKA_CLIENT_ID: uniqueName('client'),
    KAFKA_EVENTS_TOPIC: uniqueName('events'),
    KAFKA_CHANGES_TOPIC: uniqueName('changes'),
    KAFKA_DEAD_LETTER_TOPIC: uniqueName('dead-letters'),
    KAFKA_CONSUMER_GROUP: uniqueName('projector'),
    KAFKA_TOPIC_PARTITIONS: '3',
    MONGODB_URI: mongoUri,
    MONGODB_DATABASE: uniqueName('store'),
    HTTP_PORT: '0',
    ...env,
  };
}

export function uniqueProductionConfig(mongoUri: string, env: Record<string, string> = {}): AppConfig {
  return loadConfig(uniqueProductionEnv(mongoUri, env));
}

export interface ReadRecord {
  partition: number;
  message: KafkaMessage;
}

/** Every record a topic holds right now, each partition in offset order. */
export async function readTopic(kafka: Kafka, topic: string): Promise<ReadRecord[]> {
  const ends = await withKafkaAdmin(kafka, `reading the ends of ${topic}`, (admin) =>
    admin.fetchTopicOffsets(topic),
  );
  const remaining = new Map(
    ends
      .filter(({ high, low }) => BigInt(high) > BigInt(low))
      .map(({ partition, high }) => [partition, BigInt(high)]),
  );
  const records: ReadRecord[] = [];
  if (remaining.size === 0) return records;

  const consumer = kafka.consumer({ groupId: uniqueName('reader') });
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((done, fail) => {
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            const end = remaining.get(partition);
            if (end === undefined || BigInt(message.offset) >= end) return;
            records.push({ partition, message });
            if (BigInt(message.offset) + 1n === end) remaining.delete(partition);
            if (remaining.size === 0) done();
          },
        })
        .catch(fail);
    });
  } finally {
    await consumer.disconnect();
  }
  return records;
}

export async function deleteTopics(kafka: Kafka, topics: string[]): Promise<void> {
  await withKafkaAdmin(kafka, 'deleting topics', async (admin) => {
    const existing = new Set(await admin.listTopics());
    const present = topics.filter((topic) => existing.has(topic));
    if (present.length > 0) await admin.call((client) => client.deleteTopics({ topics: present }));
  });
}
