import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { foldEvents, SessionEvent, SessionProjection } from '@app/domain';
import {
  DeadLetterReason,
  LogRecord,
  PositionedViewChange,
  SessionListPage,
  SessionListQuery,
  ViewGenerations,
  ViewStore,
  ViewWrite,
  ViewWriteResult,
} from '@app/ports';
import {
  SqliteChangeFeed,
  SqliteDatabase,
  SqliteDeadLetterSink,
  SqliteEventArchive,
  SqliteViewGenerations,
} from '@app/sqlite';
import { realisticHistory, sessionEvents } from '../../../test/factories/session-events';
import { ProjectionEngine } from './projection-engine';
import { ProjectorMetrics } from './projector-metrics';

function record(value: unknown, key?: string | null, offset = 0): LogRecord {
  const bytes = Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
  const event = value as Partial<SessionEvent>;
  return {
    key: key === undefined ? (event.session_id ?? null) : key,
    value: bytes,
    source: { topic: 'session-events', partition: 0, offset: String(offset) },
  };
}

/** Delegates to a real store and lets a test change what the engine sees of it. */
class StoreWithHooks extends ViewStore {
  constructor(
    private readonly inner: ViewStore,
    readonly maxDocumentBytes: number,
    private readonly beforeWrite: () => Promise<void> = async () => undefined,
  ) {
    super();
  }
  get(sessionId: string): Promise<SessionProjection | null> {
    return this.inner.get(sessionId);
  }
  getMany(sessionIds: readonly string[]): Promise<Map<string, SessionProjection>> {
    return this.inner.getMany(sessionIds);
  }
  async writeMany(writes: readonly ViewWrite[]): Promise<ViewWriteResult> {
    await this.beforeWrite();
    return this.inner.writeMany(writes);
  }
  list(query: SessionListQuery): Promise<SessionListPage> {
    return this.inner.list(query);
  }
}

describe(ProjectionEngine.name, () => {
  let dataDir: string;
  let database: SqliteDatabase;
  let generations: SqliteViewGenerations;
  let archive: SqliteEventArchive;
  let deadLetters: SqliteDeadLetterSink;
  let feed: SqliteChangeFeed;
  let changes: PositionedViewChange[];
  let closeFeed: () => Promise<void>;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'projection-engine-'));
    database = SqliteDatabase.open(dataDir);
    generations = new SqliteViewGenerations(database);
    archive = new SqliteEventArchive(database);
    deadLetters = new SqliteDeadLetterSink(database);
    changes = [];
    feed = new SqliteChangeFeed(database);
    const subscription = await feed.subscribe({}, (change) => changes.push(change));
    closeFeed = () => subscription.close();
  });
  afterEach(async () => {
    await closeFeed();
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const engine = (views: ViewGenerations = generations) =>
    new ProjectionEngine(archive, views, feed, deadLetters, new ProjectorMetrics(new Registry()));

  const storedView = async (sessionId: string) =>
    (await generations.store(await generations.active())).get(sessionId);

  /** The engine reading and writing through `store` instead of the active generation's own. */
  const generationsServing = (store: ViewStore): ViewGenerations =>
    Object.assign(Object.create(generations) as ViewGenerations, { store: () => store });

  it('folds a batch into views equal to the domain fold, and publishes one change per session', async () => {
    const first = realisticHistory('s-1', 'u-1', 'a-1');
    const second = sessionEvents('s-2', 'u-2', 'a-2').created().runStarted().events;
    const interleaved = [...first.slice(0, 3), ...second, ...first.slice(3)];

    const report = await engine().process(
      interleaved.map((event, offset) => record(event, undefined, offset)),
    );

    expect(report).toMatchObject({
      received: interleaved.length,
      applied: interleaved.length,
      sessionsWritten: 2,
    });
    expect(await storedView('s-1')).toEqual(foldEvents(undefined, first).projection);
    expect(await storedView('s-2')).toEqual(foldEvents(undefined, second).projection);
    expect(changes.map((change) => [change.session_id, change.version]).sort()).toEqual([
      ['s-1', first.length],
      ['s-2', second.length],
    ]);
  });

  it('changes nothing when the same records are delivered again', async () => {
    const events = realisticHistory('s-1');
    const records = events.map((event, offset) => record(event, undefined, offset));
    await engine().process(records);
    const before = await storedView('s-1');

    const again = await engine().process(records);

    expect(again).toMatchObject({ applied: 0, duplicates: events.length, sessionsWritten: 0 });
    expect(await storedView('s-1')).toEqual(before);
    expect(await archive.count()).toBe(events.length);
  });

  it('dead-letters each kind of poison record with its reason and still applies the good ones after it', async () => {
    const good = sessionEvents('s-1').created().runStarted().runStopped().events;
    const orphan = sessionEvents('s-orphan').created().runStarted().events[1];
    const impostor = { ...good[1], event_id: '0b5e1f3c-8a6d-4c1e-9f00-000000000001' };
    const invalid = { ...good[0], seq: 0, session_id: 's-bad' };

    const report = await engine().process([
      record(good[0]),
      record('{not json', 's-1'),
      record(invalid),
      record({ ...good[1], type: 'session.exploded' }),
      record(good[1], 'another-key'),
      record(orphan),
      record(good[1]),
      record(impostor),
      record(good[2]),
    ]);

    const letters = await deadLetters.all();
    expect(letters.map((letter) => letter.reason)).toEqual([
      DeadLetterReason.InvalidEvent,
      DeadLetterReason.InvalidEvent,
      DeadLetterReason.InvalidEvent,
      DeadLetterReason.InvalidEvent,
      DeadLetterReason.ArchiveConflict,
      DeadLetterReason.FoldRejected,
    ]);
    expect(letters[0].payload.toString()).toBe('{not json');
    expect(letters[1].detail).toContain('seq');
    expect(letters[2].detail).toContain('type');
    expect(letters[3].detail).toContain('another-key');
    expect(letters[4].detail).toContain(good[1].event_id);
    expect(letters[5].detail).toContain('session_not_created');
    expect(report.deadLettered[DeadLetterReason.InvalidEvent]).toBe(4);
    expect(await storedView('s-1')).toEqual(foldEvents(undefined, good).projection);
    expect(await storedView('s-orphan')).toBeNull();
  });

  it('dead-letters only the event that reuses an id with other content, and folds the original', async () => {
    const [created, started] = sessionEvents('s-1').created().runStarted().events;
    const edited = { ...started, data: { reply_id: 'another-reply' } };

    const report = await engine().process([record(created), record(started), record(edited)]);

    expect(report).toMatchObject({ applied: 2 });
    const [letter] = await deadLetters.all();
    expect(letter).toMatchObject({ reason: DeadLetterReason.ArchiveConflict, eventId: started.event_id });
    expect(letter.detail).toBe(
      `event ${started.event_id} at seq 2 of session s-1 is archived with different content`,
    );
    expect(await storedView('s-1')).toEqual(foldEvents(undefined, [created, started]).projection);
  });

  it('dead-letters an event that would make the view too large and keeps the view without it', async () => {
    const events = sessionEvents('s-1')
      .created()
      .contextAppended([{ content: [{ type: 'text', id: 'big', text: 'x'.repeat(20_000) }] }])
      .runStarted().events;
    const limit = JSON.stringify(foldEvents(undefined, events.slice(0, 1)).projection).length + 5_000;
    const store = new StoreWithHooks(generations.store(await generations.active()), limit);

    const report = await engine(generationsServing(store)).process(events.map((event) => record(event)));

    expect(report.deadLettered[DeadLetterReason.ViewTooLarge]).toBe(1);
    const [letter] = await deadLetters.all();
    expect(letter.eventId).toBe(events[1].event_id);
    expect(letter.detail).toMatch(/over the store's limit of \d+/);
    expect(await storedView('s-1')).toEqual(foldEvents(undefined, [events[0], events[2]]).projection);
  });

  it('re-reads and re-folds a view that another writer moved, never overwriting it', async () => {
    const events = sessionEvents('s-1').created().runStarted().runStopped().events;
    const active = generations.store(await generations.active());
    await engine().process([record(events[0])]);
    let interfered = false;
    const store = new StoreWithHooks(active, active.maxDocumentBytes, async () => {
      if (interfered) return;
      interfered = true;
      const stored = (await active.get('s-1'))!;
      await active.writeMany([
        { projection: foldEvents(stored, [events[1]]).projection!, expectedVersion: 1 },
      ]);
    });

    const report = await engine(generationsServing(store)).process(
      events.slice(1).map((event) => record(event)),
    );

    expect(report.versionConflicts).toBe(1);
    expect(report).toMatchObject({ applied: 1, duplicates: 1 });
    expect(await storedView('s-1')).toEqual(foldEvents(undefined, events).projection);
  });

  it('re-folds a session from the archive when a missing seq arrives after later ones', async () => {
    const events = sessionEvents('s-1')
      .created()
      .runStarted()
      .runStopped('awaiting_permission')
      .contextAppended().events;
    const [created, started, stopped, appended] = events;
    await engine().process([record(created), record(appended)]);
    expect((await storedView('s-1'))?.gaps).toEqual([
      { expected_seq: 2, received_seq: 4, event_id: appended.event_id },
    ]);

    const report = await engine().process([record(stopped), record(started)]);

    expect(report).toMatchObject({ lateRepairs: 1, applied: 0 });
    const repaired = foldEvents(undefined, events).projection;
    expect(await storedView('s-1')).toEqual(repaired);
    expect(repaired?.gaps).toEqual([]);
    expect(changes.at(-1)).toMatchObject({ session_id: 's-1', version: 4, view: repaired?.view });

    const again = await engine().process([record(started)]);
    expect(again).toMatchObject({ lateRepairs: 0, duplicates: 1 });
  });

  it('dead-letters the events of a session whose fold throws, and applies the other sessions of the batch', async () => {
    const healthy = sessionEvents('s-healthy').created().runStarted().events;
    const [created, appended] = sessionEvents('s-broken').created().contextAppended().events;
    await engine().process([record(created)]);
    // A stored view the fold cannot read (written by a bug, or by hand): appending context to it throws.
    const broken = (await storedView('s-broken'))!;
    const unreadable = structuredClone(broken);
    (unreadable.view.session.state as { context: unknown }).context = null;
    const active = generations.store(await generations.active());
    await active.writeMany([{ projection: { ...unreadable, version: 1 }, expectedVersion: 1 }]);

    const report = await engine().process([record(healthy[0]), record(appended), record(healthy[1])]);

    const letters = await deadLetters.all();
    expect(letters.map((letter) => [letter.reason, letter.eventId])).toEqual([
      [DeadLetterReason.FoldRejected, appended.event_id],
    ]);
    expect(letters[0].detail).toContain("the fold threw on this session's events");
    expect(report).toMatchObject({ applied: 2, sessionsWritten: 1 });
    expect(await storedView('s-healthy')).toEqual(foldEvents(undefined, healthy).projection);
    expect((await storedView('s-broken'))?.version).toBe(1);
  });
});
