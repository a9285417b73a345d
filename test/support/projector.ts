import { AppConfig, ConfigModule } from '@app/config';
import { foldEvents, SessionEvent, SessionProjection } from '@app/domain';
import { fromDeadLetterRecord, ReadDeadLetter } from '@app/kafka';
import { EventArchive, ViewGenerations } from '@app/ports';
import { RuntimeModule } from '@app/runtime';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TestingModuleBuilder } from '@nestjs/testing';
import { MongoClient } from 'mongodb';
import { Registry } from 'prom-client';
import { ProjectorModule } from '../../apps/projector/src/projector.module';
import { eventually } from '../contracts/contract-support';
import { startHttpTestApp } from './http-test-app';
import { deleteTopics, readTopic, testKafkaClient } from './kafka';

/** apps/projector in this process, on the topics, group and database `config` names. */
export function startProjector(
  config: AppConfig,
  override?: (builder: TestingModuleBuilder) => TestingModuleBuilder,
): Promise<NestFastifyApplication> {
  return startHttpTestApp([ProjectorModule.forRoot(config)], { override });
}

/**
 * The stores the projector writes, without the projector: MongoDB through the same adapters, to read views and
 * the archive while a projector runs elsewhere (another process) or not at all.
 */
export function openStores(config: AppConfig): Promise<INestApplicationContext> {
  return NestFactory.createApplicationContext(
    {
      module: class ProjectorStoresModule {},
      imports: [ConfigModule.forRoot(config), RuntimeModule.forStorage(config)],
    },
    { logger: ['error'] },
  );
}

/** Drops the database and the topics `config` names. */
export async function dropProjectorResources(config: AppConfig): Promise<void> {
  const client = new MongoClient(config.mongo!.uri);
  try {
    await client.db(config.mongo!.database).dropDatabase();
  } finally {
    await client.close();
  }
  const { eventsTopic, changesTopic, deadLetterTopic } = config.kafka!;
  await deleteTopics(testKafkaClient(), [eventsTopic, changesTopic, deadLetterTopic]);
}

/** What the projector must store: each session's events folded by the domain alone. */
export function referenceViews(events: readonly SessionEvent[]): Map<string, SessionProjection> {
  const bySession = new Map<string, SessionEvent[]>();
  for (const event of events) {
    bySession.set(event.session_id, [...(bySession.get(event.session_id) ?? []), event]);
  }
  const views = new Map<string, SessionProjection>();
  for (const [sessionId, history] of bySession) {
    const sorted = [...history].sort((a, b) => a.seq - b.seq);
    views.set(sessionId, foldEvents(undefined, sorted).projection!);
  }
  return views;
}

export async function storedViews(
  app: INestApplicationContext,
  sessionIds: Iterable<string>,
): Promise<Map<string, SessionProjection>> {
  const generations = app.get(ViewGenerations);
  return generations.store(await generations.active()).getMany([...sessionIds]);
}

/** Waits until the stored views are exactly `expected`; the bound only ends a hang. */
export async function untilStored(
  app: INestApplicationContext,
  expected: ReadonlyMap<string, SessionProjection>,
): Promise<void> {
  await eventually(
    async () =>
      expect(new Map([...(await storedViews(app, expected.keys()))].sort())).toEqual(
        new Map([...expected].sort()),
      ),
    90_000,
  );
}

/** Every event the archive holds for these sessions, in (session, seq) order. */
export async function archivedEvents(
  app: INestApplicationContext,
  sessionIds: Iterable<string>,
): Promise<SessionEvent[]> {
  const archive = app.get(EventArchive);
  const events: SessionEvent[] = [];
  for (const sessionId of [...sessionIds].sort()) {
    events.push(...(await archive.history(sessionId, { limit: 100_000 })));
  }
  return events;
}

export async function deadLetters(config: AppConfig): Promise<ReadDeadLetter[]> {
  const records = await readTopic(testKafkaClient(), config.kafka!.deadLetterTopic);
  return records.map(({ message }) => fromDeadLetterRecord(message));
}

/** The value of a counter (or one labelled series of it) in an app's metrics registry. */
export async function metricValue(
  app: INestApplicationContext,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const metric = app.get(Registry).getSingleMetric(name);
  if (!metric) throw new Error(`no metric named ${name}`);
  const { values } = await metric.get();
  const matching = values.filter(({ labels: own }) =>
    Object.entries(labels).every(([key, value]) => own[key] === value),
  );
  return matching.reduce((sum, { value }) => sum + value, 0);
}
