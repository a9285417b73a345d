import { Logger, OnModuleInit } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { KafkaConfig } from '@app/config';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Long enough for an operator to notice, fix and replay a poison record after a holiday. */
export const DEAD_LETTER_RETENTION_MS = 90 * DAY_MS;

export interface TopicSettings {
  topic: string;
  numPartitions: number;
  replicationFactor: number;
  configEntries: { name: string; value: string }[];
}

/**
 * The three topics and their settings. The events topic is the log of record, so it is kept forever; the changes
 * topic only needs each session's latest view, so it is compacted.
 */
export function topicSettings(config: KafkaConfig): TopicSettings[] {
  // acks=all only means "on more than one broker" when the topic demands a second in-sync replica.
  const minInSyncReplicas = String(Math.min(2, config.replicationFactor));
  const common = { numPartitions: config.partitions, replicationFactor: config.replicationFactor };
  return [
    {
      topic: config.eventsTopic,
      ...common,
      configEntries: [
        { name: 'retention.ms', value: '-1' },
        { name: 'retention.bytes', value: '-1' },
        { name: 'min.insync.replicas', value: minInSyncReplicas },
      ],
    },
    {
      topic: config.changesTopic,
      ...common,
      configEntries: [
        { name: 'cleanup.policy', value: 'compact' },
        { name: 'min.insync.replicas', value: minInSyncReplicas },
      ],
    },
    {
      topic: config.deadLetterTopic,
      ...common,
      configEntries: [
        { name: 'retention.ms', value: String(DEAD_LETTER_RETENTION_MS) },
        { name: 'min.insync.replicas', value: minInSyncReplicas },
      ],
    },
  ];
}

/** Creates the topics that do not exist yet; existing ones are left exactly as an operator configured them. */
export class KafkaTopics implements OnModuleInit {
  private readonly logger = new Logger(KafkaTopics.name);

  constructor(
    private readonly kafka: Kafka,
    private readonly config: KafkaConfig,
  ) {}

  /**
   * Returns the names of the topics it created. Resolves only once every partition of the three topics has a leader
   * that answers for it, so the producers and consumers that start next do not meet "not the leader".
   */
  ensure(): Promise<string[]> {
    const settings = topicSettings(this.config);
    return withKafkaAdmin(this.kafka, 'creating the topics', async (admin) => {
      const existing = new Set(await admin.listTopics());
      const missing = settings.filter(({ topic }) => !existing.has(topic));
      // Another instance starting at the same time may create them first: the client then answers false.
      const created =
        missing.length > 0 && (await admin.call((client) => client.createTopics({ topics: missing })));
      await admin.waitForLeaders(settings.map(({ topic }) => topic));
      if (!created) return [];
      for (const { topic, numPartitions } of missing) {
        this.logger.log(`created topic ${topic} with ${numPartitions} partition(s)`);
      }
      return missing.map(({ topic }) => topic);
    });
  }

  async onModuleInit(): Promise<void> {
    await this.ensure();
  }
}
import { withKafkaAdmin } from '@app/kafka-log';
