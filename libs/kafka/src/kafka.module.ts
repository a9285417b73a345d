import { DynamicModule, Module } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { AppConfig, KafkaConfig } from '@app/config';
import { ChangeFeed, DeadLetterSink, EventLog, LogHead } from '@app/ports';
import { KafkaError, KafkaErrorCode, KafkaEventLog, KafkaRecordProducer } from '@app/kafka-log';
import { createKafkaClient } from './kafka-client';
import { KafkaChangeFeed } from './kafka.change-feed';
import { KafkaDeadLetterSink } from './kafka.dead-letter-sink';
import { KafkaEventConsumer } from './kafka.event-consumer';
import { KafkaEventLogReader } from './kafka.event-log-reader';
import { KafkaHealth } from './kafka.health';
import { KafkaLogHead } from './kafka.log-head';
import { KafkaTopics } from './kafka.topics';

/** How long a shutting-down projector waits for its batch in flight; well inside a container's stop timeout. */
export const PROJECTOR_SHUTDOWN_GRACE_MS = 15_000;

/** A slice projecting this long makes the projector not ready: a healthy one takes well under a second. */
export const STUCK_SLICE_MS = 120_000;

function kafkaConfigOf(config: AppConfig): KafkaConfig {
  if (!config.kafka) {
    throw new KafkaError(
      KafkaErrorCode.NotConfigured,
      'KafkaModule needs KAFKA_BROKERS: it belongs to the production profile',
    );
  }
  return config.kafka;
}

/**
 * The Kafka adapters of the ports, on one client built from `AppConfig.kafka`. Missing topics are created when the
 * module starts; producers connect then, and disconnect only after every module's onModuleDestroy, so a consumer
 * stopping there can still publish what its last batch produced.
 */
@Module({})
export class KafkaModule {
  static forRoot(): DynamicModule {
    return {
      module: KafkaModule,
      providers: [
        {
          provide: Kafka,
          inject: [AppConfig],
          useFactory: (config: AppConfig) => createKafkaClient(kafkaConfigOf(config)),
        },
        {
          provide: KafkaTopics,
          inject: [Kafka, AppConfig],
          useFactory: (kafka: Kafka, config: AppConfig) => new KafkaTopics(kafka, kafkaConfigOf(config)),
        },
        {
          provide: KafkaRecordProducer,
          inject: [Kafka],
          useFactory: (kafka: Kafka) => new KafkaRecordProducer(kafka),
        },
        {
          provide: EventLog,
          inject: [KafkaRecordProducer, AppConfig],
          useFactory: (producer: KafkaRecordProducer, config: AppConfig) =>
            new KafkaEventLog(producer, kafkaConfigOf(config).eventsTopic),
        },
        {
          provide: ChangeFeed,
          inject: [Kafka, KafkaRecordProducer, AppConfig],
          useFactory: (kafka: Kafka, producer: KafkaRecordProducer, config: AppConfig) => {
            const { changesTopic, clientId } = kafkaConfigOf(config);
            return new KafkaChangeFeed(kafka, producer, changesTopic, clientId);
          },
        },
        {
          provide: DeadLetterSink,
          inject: [KafkaRecordProducer, AppConfig, Kafka],
          useFactory: (producer: KafkaRecordProducer, config: AppConfig, kafka: Kafka) =>
            new KafkaDeadLetterSink(producer, kafkaConfigOf(config).deadLetterTopic, kafka),
        },
        { provide: KafkaHealth, inject: [Kafka], useFactory: (kafka: Kafka) => new KafkaHealth(kafka) },
        {
          provide: LogHead,
          inject: [Kafka, AppConfig],
          useFactory: (kafka: Kafka, config: AppConfig) =>
            new KafkaLogHead(kafka, kafkaConfigOf(config).eventsTopic),
        },
        {
          provide: KafkaEventLogReader,
          inject: [Kafka, AppConfig],
          useFactory: (kafka: Kafka, config: AppConfig) =>
            new KafkaEventLogReader(kafka, kafkaConfigOf(config).eventsTopic),
        },
        {
          provide: KafkaEventConsumer,
          inject: [Kafka, AppConfig],
          useFactory: (kafka: Kafka, config: AppConfig) => {
            const { eventsTopic, consumerGroup } = kafkaConfigOf(config);
            return new KafkaEventConsumer(kafka, {
              topic: eventsTopic,
              groupId: consumerGroup,
              maxRecordsPerBatch: config.projectorBatchSize,
              shutdownGraceMs: PROJECTOR_SHUTDOWN_GRACE_MS,
              stuckSliceMs: STUCK_SLICE_MS,
            });
          },
        },
      ],
      exports: [
        EventLog,
        ChangeFeed,
        DeadLetterSink,
        LogHead,
        KafkaHealth,
        KafkaTopics,
        KafkaEventConsumer,
        KafkaEventLogReader,
      ],
    };
  }
}
