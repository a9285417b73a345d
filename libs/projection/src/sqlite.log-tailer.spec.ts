import { AppConfig, loadConfig } from '@app/config';
import { foldEvents, SessionEvent } from '@app/domain';
import {
  DeadLetter,
  DeadLetterQuery,
  DeadLetterReason,
  DeadLetterSink,
  REBUILD_COMMAND,
  StoredDeadLetter,
} from '@app/ports';
import { ViewRebuilder } from '@app/replay';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { eventually } from '../../../test/contracts/contract-support';
import { realisticHistory, sessionEvents } from '../../../test/factories/session-events';
import {
  SqliteChangeFeed,
  SqliteDatabase,
  SqliteDeadLetterSink,
  SqliteEventArchive,
  SqliteEventLog,
  SqliteViewGenerations,
  SqliteAppliedPositions,
} from '@app/sqlite';
import { ProjectionEngine } from './projection-engine';
import { ProjectorMetrics } from './projector-metrics';
import { SqliteLogTailer } from './sqlite.log-tailer';

/** Fails its first `send`, as a crash between the view writes and the dead letters would. */
class FailingOnceSink extends DeadLetterSink {
  private failed = false;

  constructor(private readonly sink: DeadLetterSink) {
    super();
  }

  async send(letters: readonly DeadLetter[]): Promise<void> {
    await this.sink.send(letters);
    if (!this.failed) {
      this.failed = true;
      throw new Error('the dead-letter write failed');
    }
  }

  list(query?: DeadLetterQuery): Promise<StoredDeadLetter[]> {
    return this.sink.list(query);
  }

  show(id: string): Promise<StoredDeadLetter | undefined> {
    return this.sink.show(id);
  }

  markRedriven(id: string, at: Date): Promise<void> {
    return this.sink.markRedriven(id, at);
  }
}

describe(SqliteLogTailer.name, () => {
  let dataDir: string;
  let database: SqliteDatabase;
  let log: SqliteEventLog;
  let generations: SqliteViewGenerations;
  let deadLetters: SqliteDeadLetterSink;
  let changes: SqliteChangeFeed;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'sqlite-tailer-'));
    database = SqliteDatabase.open(dataDir);
    log = new SqliteEventLog(database);
    generations = new SqliteViewGenerations(database);
    deadLetters = new SqliteDeadLetterSink(database);
    changes = new SqliteChangeFeed(database);
  });
  afterEach(async () => {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const tailer = (options: { batchSize?: number; sink?: DeadLetterSink } = {}) => {
    const config: AppConfig = loadConfig({ PROJECTOR_BATCH_SIZE: String(options.batchSize ?? 500) });
    const engine = new ProjectionEngine(
      new SqliteEventArchive(database),
      generations,
      changes,
      options.sink ?? deadLetters,
      new ProjectorMetrics(new Registry()),
    );
    return new SqliteLogTailer(database, log, engine, new SqliteAppliedPositions(database), config);
  };

  const storedView = async (sessionId: string) =>
    generations.store(await generations.active()).get(sessionId);
  const drain = async (subject: SqliteLogTailer) => {
    while ((await subject.projectNextBatch()) > 0);
  };

  it('projects the log in batches and remembers how far it got', async () => {
    const events = realisticHistory('session-a');
    await log.append(events);
    const subject = tailer({ batchSize: 7 });
    expect(await subject.projectNextBatch()).toBe(7);
    expect(subject.storedPosition()).toBe(7);
    expect((await storedView('session-a'))?.version).toBe(7);
    await drain(subject);
    expect(subject.storedPosition()).toBe(events.length);
    expect(await storedView('session-a')).toEqual(foldEvents(undefined, events).projection);
  });

  it('commits nothing of a batch that fails, and applies it exactly once when retried', async () => {
    const events = realisticHistory('session-a').slice(0, 5);
    const orphan = sessionEvents('session-orphan').runStarted().events;
    await log.append([...events, ...orphan]);
    const subject = tailer({ sink: new FailingOnceSink(deadLetters) });

    await expect(subject.projectNextBatch()).rejects.toThrow('the dead-letter write failed');
    expect(subject.storedPosition()).toBe(0);
    expect(await storedView('session-a')).toBeNull();
    expect(await deadLetters.all()).toEqual([]);

    await drain(subject);
    expect(subject.storedPosition()).toBe(events.length + orphan.length);
    expect(await storedView('session-a')).toEqual(foldEvents(undefined, events).projection);
    const letters = await deadLetters.all();
    expect(letters.map((letter) => [letter.reason, letter.eventId])).toEqual([
      [DeadLetterReason.FoldRejected, orphan[0].event_id],
    ]);
  });

  it("validates again, and dead-letters, rows that do not name this build's event rules", async () => {
    const events = realisticHistory('session-a').slice(0, 3);
    await log.append(events);
    // Written into the file by something other than this store's append: an older build, a tool, a hand.
    const invalid = { ...sessionEvents('session-b').created().events[0], seq: 0 };
    await database.write((connection) => {
      connection
        .prepare(
          `INSERT INTO events (event_id, session_id, seq, occurred_at_key, recorded_at_ms, event)
           VALUES (?, ?, ?, '', 0, ?)`,
        )
        .run(invalid.event_id, invalid.session_id, invalid.seq, JSON.stringify(invalid));
      connection.prepare('UPDATE events SET validated_by = NULL WHERE event_id = ?').run(events[2].event_id);
    });
    const subject = tailer();

    await drain(subject);

    expect(await storedView('session-a')).toEqual(foldEvents(undefined, events).projection);
    expect(await storedView('session-b')).toBeNull();
    const letters = await deadLetters.all();
    expect(letters.map((letter) => [letter.reason, letter.sessionId ?? null])).toEqual([
      [DeadLetterReason.InvalidEvent, null],
    ]);
    expect(letters[0].detail).toContain('seq');
  });

  it('runs on its own once started, projecting what is appended later', async () => {
    const subject = tailer();
    subject.start();
    try {
      const received: string[] = [];
      const subscription = await changes.subscribe({}, (change) => received.push(change.session_id));
      const events: SessionEvent[] = realisticHistory('session-live').slice(0, 3);
      await log.append(events);
      await eventually(() => expect(received).toEqual(['session-live']));
      expect((await storedView('session-live'))?.version).toBe(3);
      await subscription.close();
    } finally {
      await subject.stop();
    }
  });

  it('asks for a rebuild, instead of failing on a missing column, when the active generation predates the build', async () => {
    // A data directory from before a field was added to the view field table: an unstamped table without the column.
    const old = await generations.active();
    await database.write((connection) => {
      connection.exec(`DROP INDEX "${old}_list_by_created"; ALTER TABLE "${old}" DROP COLUMN created_at`);
      database
        .statement(connection, 'UPDATE view_generations SET fold_version = NULL, shape = NULL WHERE name = ?')
        .run(old);
    });
    const events = sessionEvents('session-a').created().runStarted().events;
    await log.append(events);
    const subject = tailer();

    await expect(subject.projectNextBatch()).rejects.toThrow(
      `rebuild required: view generation ${old} carries no stamp (it predates stamped generations)`,
    );
    await expect(subject.projectNextBatch()).rejects.toThrow(REBUILD_COMMAND);
    expect(subject.storedPosition()).toBe(0);

    await new ViewRebuilder(new SqliteEventArchive(database), generations).rebuild();
    await drain(subject);
    expect(await storedView('session-a')).toEqual(foldEvents(undefined, events).projection);
  });
});
