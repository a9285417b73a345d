import { AppConfig } from '@app/config';
import { SessionEvent } from '@app/domain';
import { SessionEmitter } from '@app/emitter';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { EventArchive } from '@app/ports';
import { eventually, uniqueSessionId } from '../contracts/contract-support';
import { realisticHistory } from '../factories/session-events';
import { mongoTargets, uniqueName } from '../support/infra';
import { testKafkaClient, uniqueProductionConfig } from '../support/kafka';
import {
  archivedEvents,
  dropProjectorResources,
  metricValue,
  referenceViews,
  startProjector,
  storedViews,
  untilStored,
} from '../support/projector';

// Bounds a hang only: several projector runs against real servers need more than the project's 120 s.
jest.setTimeout(180_000);

/** Several sessions emitted concurrently, as runtimes do, one of them deleted at the end. */
async function emitSessions(config: AppConfig, count: number): Promise<SessionEvent[]> {
  const emitter = new SessionEmitter({
    brokers: config.kafka!.brokers,
    topic: config.kafka!.eventsTopic,
    clientId: uniqueName('runtime'),
  });
  await emitter.connect();
  try {
    const histories = await Promise.all(
      Array.from({ length: count }, async (_unused, index) => {
        const sessionId = emitter.openSession(uniqueSessionId(`s${index}`));
        const emitted: SessionEvent[] = [];
        for (const event of realisticHistory(sessionId, `user-${index % 2}`)) {
          emitted.push((await emitter.emit(sessionId, event.type, event.data)).event);
        }
        if (index === 0) emitted.push((await emitter.emit(sessionId, 'session.deleted', {})).event);
        return emitted;
      }),
    );
    return histories.flat();
  } finally {
    await emitter.disconnect();
  }
}

describe.each(mongoTargets())('projector on Kafka (views on $name)', (target) => {
  let config: AppConfig;
  let projector: NestFastifyApplication | undefined;

  beforeEach(() => {
    config = uniqueProductionConfig(target.uri);
  });
  afterEach(async () => {
    await projector?.close();
    projector = undefined;
    await dropProjectorResources(config);
  });

  it('stores the fold of what the SDK published, and a full redelivery changes nothing', async () => {
    projector = await startProjector(config);
    const events = await emitSessions(config, 6);
    const expected = referenceViews(events);
    await untilStored(projector, expected);
    const archived = await archivedEvents(projector, expected.keys());
    expect(archived).toHaveLength(events.length);
    expect(await projector.get(EventArchive).count()).toBe(events.length);
    await projector.close();

    const admin = testKafkaClient().admin();
    await admin.connect();
    try {
      await admin.resetOffsets({
        groupId: config.kafka!.consumerGroup,
        topic: config.kafka!.eventsTopic,
        earliest: true,
      });
    } finally {
      await admin.disconnect();
    }
    projector = await startProjector(config);
    // A fresh registry: every event of the log comes through again, and each is recognised as already applied.
    await eventually(
      async () =>
        expect(await metricValue(projector!, 'projector_events_duplicate_total')).toBe(events.length),
      90_000,
    );
    expect(await metricValue(projector, 'projector_events_applied_total')).toBe(0);
    expect(await storedViews(projector, expected.keys())).toEqual(expected);
    expect(await archivedEvents(projector, expected.keys())).toEqual(archived);
    expect(await projector.get(EventArchive).count()).toBe(events.length);
  });

  it('serves liveness, readiness and metrics with the lag of each partition it owns', async () => {
    projector = await startProjector(config);
    const events = await emitSessions(config, 2);
    await untilStored(projector, referenceViews(events));
    const get = async (url: string) => projector!.inject({ method: 'GET', url });

    expect((await get('/health')).json()).toEqual({ status: 'ok' });
    const ready = await get('/health/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({
      status: 'ready',
      checks: { 'kafka-consumer': 'ok', 'view-generation': 'ok' },
    });

    const metrics = await eventually(async () => {
      const body = (await get('/metrics')).body;
      expect(body).toMatch(/^projector_consumer_lag\{partition="\d"\} 0$/m);
      // The views are stored before the batch's report is recorded: wait for the count, never assume it is there.
      expect(body).toContain(`projector_events_applied_total ${events.length}`);
      return body;
    });
    expect(metrics).toMatch(/^projector_batch_size_count [1-9]\d*$/m);
    expect(metrics).toMatch(/^projector_batch_duration_seconds_count [1-9]\d*$/m);
    expect(metrics).toContain('projector_version_conflicts_total 0');
  });
});
