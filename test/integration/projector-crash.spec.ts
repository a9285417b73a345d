import { KafkaConfig, loadConfig } from '@app/config';
import { SessionEvent } from '@app/domain';
import { SessionEmitter } from '@app/emitter';
import { topicSettings } from '@app/kafka';
import { EventArchive } from '@app/ports';
import { INestApplicationContext } from '@nestjs/common';
import { eventually, uniqueSessionId } from '../contracts/contract-support';
import { realisticHistory } from '../factories/session-events';
import { mongoTargets, uniqueName } from '../support/infra';
import { testKafkaClient, uniqueProductionEnv } from '../support/kafka';
import {
  archivedEvents,
  dropProjectorResources,
  openStores,
  referenceViews,
  untilStored,
} from '../support/projector';
import { ProjectorProcess, startProjectorProcess } from '../support/app-process';

// Bounds a hang only: several projector runs against real servers need more than the project's 120 s.
jest.setTimeout(600_000);

const SESSIONS = 40;
const KILLS = 3;

/** Distinct archive sizes, ascending, strictly between none and all of the events: where the kills happen. */
function randomKillPoints(total: number): number[] {
  const points = new Set<number>();
  while (points.size < KILLS) points.add(1 + Math.floor(Math.random() * (total - 1)));
  return [...points].sort((a, b) => a - b);
}

async function createTopics(config: KafkaConfig): Promise<void> {
  const admin = testKafkaClient().admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: topicSettings(config), waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

async function emitSessions(brokers: string[], topic: string): Promise<SessionEvent[]> {
  const emitter = new SessionEmitter({ brokers, topic, clientId: uniqueName('runtime') });
  await emitter.connect();
  try {
    const histories = await Promise.all(
      Array.from({ length: SESSIONS }, async (_unused, index) => {
        const sessionId = emitter.openSession(uniqueSessionId(`s${index}`));
        const emitted: SessionEvent[] = [];
        for (const event of realisticHistory(sessionId, `user-${index % 4}`)) {
          emitted.push((await emitter.emit(sessionId, event.type, event.data)).event);
        }
        return emitted;
      }),
    );
    return histories.flat();
  } finally {
    await emitter.disconnect();
  }
}

describe.each(mongoTargets())('projector process killed at random moments (views on $name)', (target) => {
  it('loses nothing and applies nothing twice across SIGKILLs and restarts, then leaves its group on SIGTERM', async () => {
    // Small slices: many commits, so a kill can land anywhere between an archive write and an offset commit.
    const env = uniqueProductionEnv(target.uri, { PROJECTOR_BATCH_SIZE: '20' });
    const config = loadConfig(env);
    const { brokers, eventsTopic, consumerGroup } = config.kafka!;
    let projector: ProjectorProcess | undefined;
    let stores: INestApplicationContext | undefined;
    const outputs: string[] = [];
    try {
      // The whole stream waits in the log before the first start, so every kill lands inside the backlog.
      await createTopics(config.kafka!);
      const events = await emitSessions(brokers, eventsTopic);
      const total = events.length;
      stores = await openStores(config);
      const archive = stores.get(EventArchive);

      projector = await startProjectorProcess(env);
      for (const point of randomKillPoints(total)) {
        await eventually(async () => expect(await archive.count()).toBeGreaterThanOrEqual(point), 300_000);
        await projector.stop('SIGKILL');
        outputs.push(
          `${projector.output()}(killed with ${await archive.count()} of ${total} events archived)`,
        );
        projector = await startProjectorProcess(env);
      }

      const expected = referenceViews(events);
      await untilStored(stores, expected);
      const archived = await archivedEvents(stores, expected.keys());
      expect(archived.map(({ event_id }) => event_id).sort()).toEqual(
        events.map(({ event_id }) => event_id).sort(),
      );
      expect(await archive.count()).toBe(total);

      const ended = await projector.stop('SIGTERM');
      outputs.push(projector.output());
      projector = undefined;
      expect(ended.signal === 'SIGTERM' || ended.code === 0).toBe(true);
      const admin = testKafkaClient().admin();
      await admin.connect();
      try {
        const {
          groups: [group],
        } = await admin.describeGroups([consumerGroup]);
        expect({ state: group.state, members: group.members }).toEqual({ state: 'Empty', members: [] });
        const committed = await admin.fetchOffsets({ groupId: consumerGroup, topics: [eventsTopic] });
        const ends = await admin.fetchTopicOffsets(eventsTopic);
        expect(committed[0].partitions.map(({ partition, offset }) => [partition, offset]).sort()).toEqual(
          ends.map(({ partition, high }) => [partition, high]).sort(),
        );
      } finally {
        await admin.disconnect();
      }
    } catch (error) {
      if (projector) outputs.push(projector.output());
      throw new Error(
        `${(error as Error).message}\n--- projector output ---\n${outputs.join('\n--- restart ---\n')}`,
        {
          cause: error,
        },
      );
    } finally {
      await projector?.stop('SIGKILL');
      await stores?.close();
      await dropProjectorResources(config);
    }
  });
});
