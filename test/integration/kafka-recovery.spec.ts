import { AppConfig } from '@app/config';
import { SessionEvent } from '@app/domain';
import { SessionEmitter } from '@app/emitter';
import { KafkaEventLogReader } from '@app/kafka';
import { withKafkaAdmin } from '@app/kafka-log';
import { APPLIED_POSITIONS_COLLECTION } from '@app/mongo';
import { AppliedPositions, ChangeFeed, EventArchive, ViewGenerations } from '@app/ports';
import { ProjectorMetrics } from '@app/projection';
import { LogArchiveVerifier, LogReprojector, RecoveryMetrics } from '@app/recovery';
import { ViewVerifier } from '@app/replay';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { MongoClient } from 'mongodb';
import { Registry } from 'prom-client';
import { uniqueSessionId } from '../contracts/contract-support';
import { realisticHistory } from '../factories/session-events';
import { mongoTargets, uniqueName } from '../support/infra';
import { testKafkaClient, uniqueProductionConfig } from '../support/kafka';
import {
  archivedEvents,
  dropProjectorResources,
  referenceViews,
  startProjector,
  storedViews,
  untilStored,
} from '../support/projector';

// Bounds a hang only: a projector run, a store loss and two reads of the log against real servers.
jest.setTimeout(180_000);

const SESSIONS = 8;

async function emitSessions(config: AppConfig): Promise<SessionEvent[]> {
  const emitter = new SessionEmitter({
    brokers: config.kafka!.brokers,
    topic: config.kafka!.eventsTopic,
    clientId: uniqueName('runtime'),
  });
  await emitter.connect();
  try {
    const histories = await Promise.all(
      Array.from({ length: SESSIONS }, async (_unused, index) => {
        const sessionId = emitter.openSession(uniqueSessionId(`r${index}`));
        const emitted: SessionEvent[] = [];
        for (const event of realisticHistory(sessionId, `user-${index % 2}`)) {
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

/**
 * What a store crash or a restore from an older backup does: acknowledged events gone from the archive, views gone.
 * Written to MongoDB directly, beside the adapters, as the loss itself would be.
 */
async function loseFromStore(
  config: AppConfig,
  generation: string,
  lostEvents: readonly SessionEvent[],
  lostViews: readonly string[],
): Promise<void> {
  const client = new MongoClient(config.mongo!.uri);
  try {
    const db = client.db(config.mongo!.database);
    const deleted = await db
      .collection<{ _id: string }>('session_events')
      .deleteMany({ _id: { $in: lostEvents.map(({ event_id }) => event_id) } });
    expect(deleted.deletedCount).toBe(lostEvents.length);
    const views = await db
      .collection<{ _id: string }>(generation)
      .deleteMany({ _id: { $in: [...lostViews] } });
    expect(views.deletedCount).toBe(lostViews.length);
    await db.collection(APPLIED_POSITIONS_COLLECTION).deleteMany({});
  } finally {
    await client.close();
  }
}

describe('recovery from the Kafka event log after a store loss', () => {
  const target = mongoTargets()[0];
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

  it(`finds every lost event with verify, re-projects each from the log beside the live projector, and verifies clean (${target.name})`, async () => {
    projector = await startProjector(config);
    const events = await emitSessions(config);
    const expected = referenceViews(events);
    await untilStored(projector, expected);

    const sessionIds = [...expected.keys()].sort();
    const lostEvents = events.filter(
      ({ session_id, seq }) =>
        (sessionIds.slice(0, 3).includes(session_id) && (seq === 2 || seq === 3)) ||
        (sessionIds.slice(3, 5).includes(session_id) && seq === expected.get(session_id)!.version),
    );
    const lostViews = sessionIds.slice(2, 5);
    const generations = projector.get(ViewGenerations);
    await loseFromStore(config, await generations.active(), lostEvents, lostViews);

    const archive = projector.get(EventArchive);
    const reader = new KafkaEventLogReader(testKafkaClient(), config.kafka!.eventsTopic);
    const verifier = new LogArchiveVerifier(reader, archive);
    const before = await verifier.verify();
    expect(before).toMatchObject({
      records: events.length,
      archived: events.length - lostEvents.length,
      missing: lostEvents.length,
      invalid: 0,
      conflicting: 0,
      clean: false,
    });
    expect(before.partitions.reduce((sum, { notArchivedCount }) => sum + notArchivedCount, 0)).toBe(
      lostEvents.length,
    );
    expect(before.sessions.map(({ sessionId, missingSeqs }) => [sessionId, missingSeqs])).toEqual(
      [...new Set(lostEvents.map(({ session_id }) => session_id))]
        .sort()
        .map((sessionId) => [
          sessionId,
          lostEvents.filter((event) => event.session_id === sessionId).map(({ seq }) => seq),
        ]),
    );

    // The live projector keeps running: the re-projection reads the log directly and writes through the same
    // idempotent archive and version-guarded views.
    const registry = new Registry();
    const reprojector = new LogReprojector(
      reader,
      archive,
      generations,
      projector.get(ChangeFeed),
      projector.get(AppliedPositions),
      new ProjectorMetrics(registry),
      new RecoveryMetrics(registry),
    );
    const progress: number[] = [];
    const report = await reprojector.reproject(
      { kind: 'earliest' },
      { onProgress: ({ done }) => progress.push(done) },
    );
    expect(report.records).toBe(events.length);
    expect(progress[progress.length - 1]).toBe(events.length);
    // The applied positions the loss took are back: every partition up to the log's end.
    const ends = await withKafkaAdmin(testKafkaClient(), 'reading the log end', (admin) =>
      admin.fetchTopicOffsets(config.kafka!.eventsTopic),
    );
    expect(await projector.get(AppliedPositions).read()).toEqual(
      new Map(
        ends.filter(({ high }) => high !== '0').map(({ partition, high }) => [partition, Number(high)]),
      ),
    );

    await expect(verifier.verify()).resolves.toMatchObject({
      archived: events.length,
      missing: 0,
      sessions: [],
      clean: true,
    });
    expect(await archivedEvents(projector, sessionIds)).toHaveLength(events.length);
    expect(new Map([...(await storedViews(projector, sessionIds))].sort())).toEqual(
      new Map([...expected].sort()),
    );
    const views = await new ViewVerifier(archive, generations).verify({ kind: 'all' });
    expect(views.mismatches).toEqual([]);

    // Idempotent: a second run from the start changes nothing, and one from now on reads nothing.
    const again = await reprojector.reproject({ kind: 'earliest' });
    expect(again).toMatchObject({ records: events.length, applied: 0 });
    await expect(
      reprojector.reproject({ kind: 'time', at: new Date(Date.now() + 60_000) }),
    ).resolves.toMatchObject({
      records: 0,
    });
  });
});
