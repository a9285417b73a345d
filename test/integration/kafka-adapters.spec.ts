import { Test, TestingModule } from '@nestjs/testing';
import { Kafka, logLevel } from 'kafkajs';
import { AppConfig, ConfigModule } from '@app/config';
import { SessionEvent } from '@app/domain';
import {
  fromDeadLetterRecord,
  KafkaError,
  KafkaErrorCode,
  KafkaHealth,
  KafkaModule,
  KafkaTopics,
} from '@app/kafka';
import { ChangeFeed, DeadLetterSink, EventArchive, EventLog, ViewGenerations } from '@app/ports';
import { ProjectionEngine, ProjectorMetrics } from '@app/projection';
import { DeadLetterRedrive, RecoveryMetrics } from '@app/recovery';
import { RuntimeModule } from '@app/runtime';
import { NestFactory } from '@nestjs/core';
import { Registry } from 'prom-client';
import { changeFeedContract } from '../contracts/change-feed.contract';
import { eventually, uniqueSessionId } from '../contracts/contract-support';
import { deadLetterRedriveContract, deadLetterSinkContract } from '../contracts/dead-letter-sink.contract';
import { eventLogContract } from '../contracts/event-log.contract';
import { realisticHistory } from '../factories/session-events';
import { mongoTargets } from '../support/infra';
import { deleteTopics, readTopic, testKafkaClient, uniqueProductionConfig } from '../support/kafka';
import { dropProjectorResources } from '../support/projector';

const kafka = testKafkaClient();

interface StartedKafkaModule {
  moduleRef: TestingModule;
  config: AppConfig;
  kafkaConfig: NonNullable<AppConfig['kafka']>;
  stop(): Promise<void>;
}

/** The module as an app runs it (topics created, producer connected), on topics no other test uses. */
async function startKafkaModule(env: Record<string, string> = {}): Promise<StartedKafkaModule> {
  // The Kafka adapters never connect to MongoDB; the production profile just needs both set.
  const config = uniqueProductionConfig(mongoTargets()[0].uri, env);
  const kafkaConfig = config.kafka!;
  const moduleRef = await Test.createTestingModule({
    imports: [ConfigModule.forRoot(config), KafkaModule.forRoot()],
  }).compile();
  await moduleRef.init();
  return {
    moduleRef,
    config,
    kafkaConfig,
    stop: async () => {
      await moduleRef.close();
      await deleteTopics(kafka, [
        kafkaConfig.eventsTopic,
        kafkaConfig.changesTopic,
        kafkaConfig.deadLetterTopic,
      ]);
    },
  };
}

changeFeedContract('Kafka', async () => {
  const started = await startKafkaModule();
  return {
    feed: started.moduleRef.get(ChangeFeed),
    beyond: (position) =>
      position
        .split(',')
        .map((entry) => entry.replace(/:(\d+)$/, (_match, offset: string) => `:${BigInt(offset) + 1000n}`))
        .join(','),
    cleanup: started.stop,
  };
});

deadLetterSinkContract('Kafka', async () => {
  const started = await startKafkaModule();
  return {
    sink: started.moduleRef.get(DeadLetterSink),
    delivered: async () =>
      (await readTopic(kafka, started.kafkaConfig.deadLetterTopic)).map(({ message }) =>
        fromDeadLetterRecord(message),
      ),
    unknownId: '0:999999',
    cleanup: started.stop,
  };
});

deadLetterRedriveContract('Kafka dead letters, MongoDB archive and views', async () => {
  const config = uniqueProductionConfig(mongoTargets()[0].uri);
  const app = await NestFactory.createApplicationContext(
    {
      module: class RedriveStoresModule {},
      imports: [ConfigModule.forRoot(config), RuntimeModule.forRoot(config)],
    },
    { logger: ['error'] },
  );
  await app.init();
  const registry = new Registry();
  const sink = app.get(DeadLetterSink);
  const generations = app.get(ViewGenerations);
  const engine = new ProjectionEngine(
    app.get(EventArchive),
    generations,
    app.get(ChangeFeed),
    sink,
    new ProjectorMetrics(registry),
  );
  return {
    sink,
    engine,
    registry,
    redrive: new DeadLetterRedrive(sink, engine, new RecoveryMetrics(registry)),
    view: async (sessionId) => generations.store(await generations.active()).get(sessionId),
    cleanup: async () => {
      await app.close();
      await dropProjectorResources(config);
    },
  };
});

eventLogContract('Kafka', async () => {
  const started = await startKafkaModule();
  return {
    log: started.moduleRef.get(EventLog),
    appended: async () =>
      (await readTopic(kafka, started.kafkaConfig.eventsTopic)).map(
        ({ message }) => JSON.parse(message.value!.toString()) as SessionEvent,
      ),
    cleanup: started.stop,
  };
});

describe('Kafka adapters on the broker', () => {
  let started: StartedKafkaModule;

  beforeEach(async () => {
    started = await startKafkaModule();
  });
  afterEach(() => started.stop());

  describe(KafkaTopics.name, () => {
    it('has created the three topics with their partitions and settings', async () => {
      const { eventsTopic, changesTopic, deadLetterTopic } = started.kafkaConfig;
      const admin = kafka.admin();
      await admin.connect();
      try {
        const { topics } = await admin.fetchTopicMetadata({
          topics: [eventsTopic, changesTopic, deadLetterTopic],
        });
        expect(topics.map(({ partitions }) => partitions.length)).toEqual([3, 3, 3]);
        const { resources } = await admin.describeConfigs({
          includeSynonyms: false,
          resources: [eventsTopic, changesTopic, deadLetterTopic].map((name) => ({ type: 2, name })),
        });
        const setting = (topic: string, name: string) =>
          resources
            .find((resource) => resource.resourceName === topic)
            ?.configEntries.find((entry) => entry.configName === name)?.configValue;
        expect(setting(eventsTopic, 'retention.ms')).toBe('-1');
        expect(setting(eventsTopic, 'retention.bytes')).toBe('-1');
        expect(setting(changesTopic, 'cleanup.policy')).toBe('compact');
        expect(Number(setting(deadLetterTopic, 'retention.ms'))).toBeGreaterThan(30 * 24 * 3600 * 1000);
      } finally {
        await admin.disconnect();
      }
    });

    it('creates nothing when the topics exist', async () => {
      await expect(started.moduleRef.get(KafkaTopics).ensure()).resolves.toEqual([]);
    });
  });

  describe('event log records', () => {
    it('are keyed by session id, carry the event JSON and name its type in a header', async () => {
      const events = realisticHistory(uniqueSessionId()).slice(0, 3);
      await started.moduleRef.get(EventLog).append(events);
      const records = await readTopic(kafka, started.kafkaConfig.eventsTopic);
      expect(new Set(records.map(({ partition }) => partition)).size).toBe(1);
      expect(
        records.map(({ message }) => ({
          key: message.key?.toString(),
          type: message.headers?.['event-type']?.toString(),
          value: JSON.parse(message.value!.toString()),
        })),
      ).toEqual(events.map((event) => ({ key: event.session_id, type: event.type, value: event })));
    });

    it('are refused with RecordTooLarge when larger than the topic accepts', async () => {
      const [created] = realisticHistory(uniqueSessionId());
      const huge = {
        ...created,
        data: { ...created.data, padding: 'x'.repeat(2 * 1024 * 1024) },
      } as unknown as SessionEvent;
      await expect(started.moduleRef.get(EventLog).append([huge])).rejects.toMatchObject({
        code: KafkaErrorCode.RecordTooLarge,
      });
    });
  });

  describe('change-feed positions', () => {
    it('refuses a malformed position, and one past the end of the topic', async () => {
      const feed = started.moduleRef.get(ChangeFeed);
      await expect(feed.subscribe({ after: 'yesterday' }, () => undefined)).rejects.toMatchObject({
        code: KafkaErrorCode.InvalidPosition,
      });
      await expect(feed.subscribe({ after: '0:99,1:0,2:0' }, () => undefined)).rejects.toMatchObject({
        code: KafkaErrorCode.InvalidPosition,
      });
      await expect(feed.subscribe({ after: '7:0' }, () => undefined)).rejects.toBeInstanceOf(KafkaError);
    });

    it('replays from the beginning for a position that only names the start of each partition', async () => {
      const feed = started.moduleRef.get(ChangeFeed);
      const sessionId = uniqueSessionId();
      await feed.publish([
        { session_id: sessionId, user_id: 'u', agent_id: 'a', version: 1, deleted: false, view: {} as never },
      ]);
      const received: string[] = [];
      const subscription = await feed.subscribe({ after: '0:0,1:0,2:0' }, (change) =>
        received.push(change.session_id),
      );
      try {
        await eventually(() => expect(received).toEqual([sessionId]));
      } finally {
        await subscription.close();
      }
    });
  });

  describe(KafkaHealth.name, () => {
    it('answers while the broker is up', async () => {
      await expect(started.moduleRef.get(KafkaHealth).ping()).resolves.toBeUndefined();
    });

    it('reports an unreachable broker as BrokerUnavailable', async () => {
      const nowhere = new Kafka({
        clientId: 'nowhere',
        brokers: ['127.0.0.1:1'],
        logLevel: logLevel.NOTHING,
      });
      await expect(new KafkaHealth(nowhere).ping()).rejects.toMatchObject({
        code: KafkaErrorCode.BrokerUnavailable,
      });
    });
  });
});
