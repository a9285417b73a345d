import { SessionEvent } from '@app/domain';
import { MongoEventArchive, MongoEventArchiveOptions, MongoStoreErrorCode } from '@app/mongo';
import { CommandStartedEvent, MongoClient } from 'mongodb';
import { contractCases, DeclaredDeviations, uniqueSessionId } from '../contracts/contract-support';
import { eventArchiveContract } from '../contracts/event-archive.contract';
import { realisticHistory, sessionEvents, uuidFor } from '../factories/session-events';
import { mongoTargets, MongoTarget } from '../support/infra';
import { mongoSuite } from '../support/mongo-suite';

/**
 * FerretDB v1 refuses arrays directly inside arrays ("nested arrays are not supported"), which free-form event data
 * may hold: the archive runs there with the one workaround it has, wrapped nested arrays, without which such an event
 * could never be archived and the projector would retry its batch forever.
 */
const OPTIONS: Record<MongoTarget['name'], MongoEventArchiveOptions> = {
  'mongo-java-server': {},
  ferretdb: { wrapNestedArrays: true },
  external: {},
};

const DEVIATIONS: Record<MongoTarget['name'], DeclaredDeviations> = {
  'mongo-java-server': {},
  ferretdb: {
    'keeps arrays of arrays as they are in the stored document': {
      fails: 'FerretDB v1 stores no nested arrays; the archive wraps them there (wrapNestedArrays)',
    },
  },
  external: {},
};

describe.each(mongoTargets())('MongoEventArchive on $name', (target) => {
  const mongo = mongoSuite(target);

  /** A database per test: the archive is one fixed collection, and each test starts with it empty. */
  const freshArchive = async () => {
    const db = mongo.newDatabase('archive');
    return {
      db,
      archive: await MongoEventArchive.open(db, OPTIONS[target.name]),
      cleanup: async () => {
        await db.dropDatabase();
      },
    };
  };

  eventArchiveContract(target.name, freshArchive);

  describe('beyond the contract', () => {
    const it = contractCases(target.name, DEVIATIONS[target.name]);
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

    it('stores an event as a native document: its envelope fields, data a sub-document, odd keys escaped', async () => {
      const event = sessionEvents(uniqueSessionId())
        .created()
        .contextAppended([{ metadata: { 'trace.id': 'abc', $ref: '#/x', 'a%b': 1 } }]).last;
      await harness.archive.append([event]);
      const stored = await harness.db.collection('session_events').findOne({ _id: event.event_id as never });
      const { event_id, data, ...envelope } = event;
      expect(stored).toMatchObject({ _id: event_id, ...envelope, archived_at: expect.any(Date) });
      const metadata = (stored as unknown as { data: { items: { metadata: object }[] } }).data.items[0]
        .metadata;
      expect(metadata).toEqual({ 'trace%2Eid': 'abc', '%24ref': '#/x', 'a%25b': 1 });
      expect(Object.keys(data)).toEqual(['items']);
      // Queryable with MongoDB's own operators, like any field the projector never copied out.
      const byType = await harness.db
        .collection('session_events')
        .countDocuments({ type: 'session.context_appended', 'data.items.metadata.trace%2Eid': 'abc' });
      expect(byType).toBe(1);
    });

    it('keeps arrays of arrays as they are in the stored document', async () => {
      const event = sessionEvents(uniqueSessionId())
        .created()
        .taskUpdated({ id: 'task-1', metadata: { matrix: [[1], []] } }).last;
      await harness.archive.append([event]);
      const stored = await harness.db.collection('session_events').findOne({ _id: event.event_id as never });
      expect(stored?.data).toMatchObject({ task: { metadata: { matrix: [[1], []] } } });
    });

    it('reads events archived as JSON strings before documents were native, and answers their retries', async () => {
      const builder = sessionEvents(uniqueSessionId())
        .created({}, { occurred_at: '2025-03-03T10:00:00+02:00' })
        .runStarted(undefined, { occurred_at: '2025-03-03T09:30:00Z' });
      const [created, started] = builder.events;
      // The document the adapter wrote before, verbatim: the instant key in occurred_at, the event as a string.
      await harness.db.collection('session_events').insertOne({
        _id: created.event_id as never,
        session_id: created.session_id,
        seq: created.seq,
        occurred_at: '2025-03-03T08:00:00.000000000Z',
        archived_at: new Date(),
        write_token: 'AAAAAAAAAAAAAAAA',
        event: JSON.stringify(created),
      });
      expect(await harness.archive.append([created, started])).toEqual({
        stored: 1,
        duplicates: 1,
        conflicts: [],
      });
      const sessionId = created.session_id;
      expect(await harness.archive.history(sessionId, { limit: 10 })).toEqual([created, started]);
      expect(await harness.archive.history(sessionId, { limit: 10, until: '2025-03-03T09:00:00Z' })).toEqual([
        created,
      ]);
      expect((await harness.archive.scan({ cursor: null, limit: 10 })).events).toEqual([created, started]);
    });

    it('archives a batch of new events with one insert command and nothing else', async () => {
      const client = new MongoClient(target.uri, { monitorCommands: true });
      try {
        const db = client.db(harness.db.databaseName);
        const archive = await MongoEventArchive.open(db, OPTIONS[target.name]);
        const commands: string[] = [];
        client.on('commandStarted', (started: CommandStartedEvent) => commands.push(started.commandName));
        const events = realisticHistory(uniqueSessionId());
        expect(await archive.append(events)).toEqual({ stored: events.length, duplicates: 0, conflicts: [] });
        expect(commands).toEqual(['insert']);
        commands.length = 0;
        expect(await archive.append(events)).toEqual({ stored: 0, duplicates: events.length, conflicts: [] });
        expect(commands).toEqual(['insert', 'find']);
      } finally {
        await client.close();
      }
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
    // one by one when a batch fails) holds refused events among stored ones, and a batch of more than 64 (the
    // statements the adapter once sent per command) is one command.
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
