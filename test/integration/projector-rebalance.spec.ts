import { AppConfig } from '@app/config';
import { SessionEvent } from '@app/domain';
import { SessionEmitter } from '@app/emitter';
import { KafkaEventConsumer } from '@app/kafka';
import { EventArchive } from '@app/ports';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { eventually, uniqueSessionId } from '../contracts/contract-support';
import { realisticHistory } from '../factories/session-events';
import { mongoTargets, uniqueName } from '../support/infra';
import { uniqueProductionConfig } from '../support/kafka';
import {
  archivedEvents,
  dropProjectorResources,
  metricValue,
  referenceViews,
  startProjector,
  untilStored,
} from '../support/projector';

// Bounds a hang only: several projector runs against real servers need more than the project's 120 s.
jest.setTimeout(240_000);

const SESSIONS = 12;

/** Both outcomes, once both have settled: a failure of one never leaves the other running past the test. */
async function together<A, B>(a: Promise<A>, b: Promise<B>): Promise<[A, B]> {
  const [first, second] = await Promise.allSettled([a, b]);
  if (first.status === 'rejected') throw first.reason;
  if (second.status === 'rejected') throw second.reason;
  return [first.value, second.value];
}

describe.each(mongoTargets())('two projectors in one consumer group (views on $name)', (target) => {
  let config: AppConfig;
  let emitter: SessionEmitter;
  const running: NestFastifyApplication[] = [];

  beforeEach(async () => {
    config = uniqueProductionConfig(target.uri, { KAFKA_TOPIC_PARTITIONS: '6', PROJECTOR_BATCH_SIZE: '10' });
    emitter = new SessionEmitter({
      brokers: config.kafka!.brokers,
      topic: config.kafka!.eventsTopic,
      clientId: uniqueName('runtime'),
    });
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((app) => app.close()));
    await emitter.disconnect();
    await dropProjectorResources(config);
  });

  const start = async () => {
    const app = await startProjector(config);
    running.push(app);
    return app;
  };
  const stop = async (app: NestFastifyApplication) => {
    running.splice(running.indexOf(app), 1);
    await app.close();
  };
  const consuming = (app: NestFastifyApplication) =>
    eventually(() => expect(app.get(KafkaEventConsumer).state).toBe('consuming'), 60_000);

  /** Emits events `from` to `to` (exclusive) of every history, the sessions concurrently as runtimes do. */
  async function emitWave(histories: SessionEvent[][], from: number, to: number): Promise<SessionEvent[]> {
    const waves = await Promise.all(
      histories.map(async (history) => {
        const emitted: SessionEvent[] = [];
        for (const event of history.slice(from, to)) {
          emitted.push((await emitter.emit(event.session_id, event.type, event.data)).event);
        }
        return emitted;
      }),
    );
    return waves.flat();
  }

  it('projects every event exactly once while members join and leave mid-stream', async () => {
    const first = await start();
    await emitter.connect();
    const histories = Array.from({ length: SESSIONS }, (_unused, index) =>
      realisticHistory(emitter.openSession(uniqueSessionId(`s${index}`)), `user-${index % 3}`),
    );

    const emitted = await emitWave(histories, 0, 8);
    await untilStored(first, referenceViews(emitted));

    // The second member joins while the first is busy with the next wave: the group rebalances under load.
    const [secondWave, second] = await together(emitWave(histories, 8, 16), start());
    emitted.push(...secondWave);
    await consuming(second);
    await untilStored(second, referenceViews(emitted));

    // The first leaves while the last wave is on its way: its partitions move to the second.
    const [lastWave, appliedByFirst] = await together(
      emitWave(histories, 16, Infinity),
      (async () => {
        const appliedByFirst = await metricValue(first, 'projector_events_applied_total');
        await stop(first);
        return appliedByFirst;
      })(),
    );
    emitted.push(...lastWave);

    await untilStored(second, referenceViews(emitted));
    const sessionIds = histories.map((history) => history[0].session_id);
    const archived = await archivedEvents(second, sessionIds);
    expect(archived.map(({ event_id }) => event_id).sort()).toEqual(
      emitted.map(({ event_id }) => event_id).sort(),
    );
    expect(await second.get(EventArchive).count()).toBe(emitted.length);
    // Both members did part of the work; together they applied each event once (the archive and views above).
    expect(appliedByFirst).toBeGreaterThan(0);
    expect(await metricValue(second, 'projector_events_applied_total')).toBeGreaterThan(0);
  });
});
