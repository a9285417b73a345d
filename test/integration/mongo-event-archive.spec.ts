import { SessionEvent } from '@app/domain';
import { MongoEventArchive, MongoStoreErrorCode } from '@app/mongo';
import { uniqueSessionId } from '../contracts/contract-support';
import { eventArchiveContract } from '../contracts/event-archive.contract';
import { sessionEvents, uuidFor } from '../factories/session-events';
import { mongoTargets } from '../support/infra';
import { mongoSuite } from '../support/mongo-suite';

describe.each(mongoTargets())('MongoEventArchive on $name', (target) => {
  const mongo = mongoSuite(target);

  /** A database per test: the archive is one fixed collection, and each test starts with it empty. */
  const freshArchive = async () => {
    const db = mongo.newDatabase('archive');
    return {
      db,
      archive: await MongoEventArchive.open(db),
      cleanup: async () => {
        await db.dropDatabase();
      },
    };
  };

  eventArchiveContract(target.name, freshArchive);

  describe('beyond the contract', () => {
    let harness: Awaited<ReturnType<typeof freshArchive>>;
    beforeEach(async () => {
      harness = await freshArchive();
    });
    afterEach(() => harness.cleanup());

    it('opens again on a database that has its indexes and events, as every restart does', async () => {
      const events = sessionEvents(uniqueSessionId()).created().runStarted().events;
      await harness.archive.append(events);
      const reopened = await MongoEventArchive.open(harness.db);
      expect(await reopened.history(events[0].session_id, { limit: 10 })).toEqual(events);
    });

    it('round-trips events whose data holds dotted and dollar keys and arrays of arrays', async () => {
      const events = sessionEvents(uniqueSessionId())
        .created()
        .contextAppended([{ metadata: { 'trace.id': 'abc', $meta: [['nested', ['deeper']]] } }])
        .taskUpdated({ id: 'task-1', metadata: { 'a.b': { $ref: '#/x' }, matrix: [[1], []] } }).events;
      expect(await harness.archive.append(events)).toEqual({ stored: 3, duplicates: 0, conflicts: [] });
      expect(await harness.archive.history(events[0].session_id, { limit: 10 })).toEqual(events);
    });

    // Hundreds of events, so that every server batch (FerretDB inserts 100 documents at a time and falls back to
    // one by one when a batch fails) holds refused events among stored ones.
    it('answers every event of a large batch with redeliveries and conflicts spread across it', async () => {
      const archived = Array.from(
        { length: 60 },
        () => sessionEvents(uniqueSessionId('archived')).created().runStarted().runStopped().events,
      ).flat();
      await harness.archive.append(archived);
      const batch: SessionEvent[] = [];
      const expectedConflicts: string[] = [];
      archived.forEach((event, index) => {
        batch.push(sessionEvents(uniqueSessionId('fresh')).created().last);
        if (index % 3 === 0) {
          batch.push(event);
        } else if (index % 3 === 1) {
          const impostor = { ...event, event_id: uuidFor(`impostor-${event.event_id}`) };
          batch.push(impostor);
          expectedConflicts.push(`${impostor.event_id} seq_taken ${event.event_id}`);
        } else {
          const reused = { ...event, session_id: uniqueSessionId('reused'), seq: 1 };
          batch.push(reused);
          expectedConflicts.push(`${reused.event_id} event_id_taken ${event.event_id}`);
        }
      });

      const result = await harness.archive.append(batch);

      expect({ stored: result.stored, duplicates: result.duplicates }).toEqual({
        stored: 180,
        duplicates: 60,
      });
      const conflicts = result.conflicts.map(
        ({ event, reason, existingEventId }) => `${event.event_id} ${reason} ${existingEventId}`,
      );
      expect(conflicts.sort()).toEqual(expectedConflicts.sort());
      expect(await harness.archive.count()).toBe(archived.length + 180);
    });

    it('compares `until` as an instant whatever zone the events were stamped in', async () => {
      // 08:00Z and 08:30Z are before 09:00Z, 10:00Z is after, although the texts sort the other way round.
      const builder = sessionEvents(uniqueSessionId())
        .created({}, { occurred_at: '2025-03-03T10:00:00+02:00' })
        .runStarted(undefined, { occurred_at: '2025-03-03T08:30:00Z' })
        .runStopped('completed', { occurred_at: '2025-03-03T05:00:00-05:00' });
      await harness.archive.append(builder.events);
      const sessionId = builder.events[0].session_id;
      const untilNine = await harness.archive.history(sessionId, {
        limit: 10,
        until: '2025-03-03T09:00:00Z',
      });
      expect(untilNine).toEqual(builder.events.slice(0, 2));
    });

    it('refuses a scan cursor it did not hand out', async () => {
      await expect(harness.archive.scan({ cursor: 'not-a-cursor', limit: 10 })).rejects.toThrow(
        expect.objectContaining({ code: MongoStoreErrorCode.InvalidCursor }),
      );
    });

    it('keeps events unique on (session_id, seq) with an index the server enforces', async () => {
      const indexes = await harness.db.collection('session_events').listIndexes().toArray();
      expect(indexes).toContainEqual(
        expect.objectContaining({ name: 'session_seq', key: { session_id: 1, seq: 1 }, unique: true }),
      );
    });
  });
});
