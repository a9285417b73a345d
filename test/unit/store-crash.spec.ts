import { foldEvents, SessionEvent } from '@app/domain';
import { DeadLetterReason } from '@app/ports';
import {
  DATABASE_FILE_NAME,
  SqliteChangeFeed,
  SqliteDatabase,
  SqliteDeadLetterSink,
  SqliteEventLog,
  SqliteViewGenerations,
} from '@app/sqlite';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../contracts/contract-support';
import { realisticHistory, sessionEvents } from '../factories/session-events';
import { startStoreProcess, StoreProcess } from '../support/store-process';

const INGEST_TOKEN = 'crash-test-ingest-token';
const CLIENTS = 4;
const SESSIONS_PER_CLIENT = 6;
const ORPHANS_PER_CLIENT = 2;
/** Acknowledged batches before the kill: enough that the projector is busy, well before the plan runs out. */
const KILL_AFTER_ACKNOWLEDGED_BATCHES = 150;

/**
 * What one client sends, batch by batch: its sessions' histories in small chunks, interleaved, each session in seq
 * order; and events of sessions that are never created, which the projector must dead-letter exactly once.
 */
function clientPlan(client: number): SessionEvent[][] {
  const histories = Array.from({ length: SESSIONS_PER_CLIENT }, (_, index) =>
    realisticHistory(`crash-${client}-${index}`, `user-${client}`, 'agent-crash'),
  );
  const orphans = Array.from(
    { length: ORPHANS_PER_CLIENT },
    (_, index) => sessionEvents(`orphan-${client}-${index}`).runStarted().contextAppended().events,
  );
  const chunked = [...histories, ...orphans].map((events) => chunks(events, 1 + (client % 3)));
  const plan: SessionEvent[][] = [];
  for (let round = 0; chunked.some((batches) => round < batches.length); round += 1) {
    for (const batches of chunked) if (round < batches.length) plan.push(batches[round]);
  }
  return plan;
}

function chunks<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, index) =>
    items.slice(index * size, (index + 1) * size),
  );
}

describe('the embedded store killed with SIGKILL during ingest', () => {
  let dataDir: string;
  let store: StoreProcess | undefined;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'store-crash-'));
  });
  afterAll(async () => {
    await store?.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  const start = () => startStoreProcess({ dataDir, env: { INGEST_TOKEN, PROJECTOR_BATCH_SIZE: '20' } });

  /** Sends every client's plan concurrently and kills the store once enough batches were acknowledged. */
  async function hammerAndKill(running: StoreProcess) {
    const sent = new Map<string, SessionEvent>();
    const acknowledged: SessionEvent[] = [];
    let acknowledgedBatches = 0;
    let killed = false;
    const client = async (plan: SessionEvent[][]) => {
      for (const batch of plan) {
        if (killed) return;
        batch.forEach((event) => sent.set(event.event_id, event));
        let response: Response;
        try {
          response = await fetch(`${running.baseUrl}/sessions/events`, {
            method: 'POST',
            headers: { authorization: `Bearer ${INGEST_TOKEN}`, 'content-type': 'application/json' },
            body: JSON.stringify({ events: batch }),
          });
        } catch (error) {
          if (killed) return;
          throw error;
        }
        // A 202 that made it out before the kill is an acknowledgement like any other.
        if (response.status !== 202)
          throw new Error(`ingest answered ${response.status}: ${await response.text()}`);
        acknowledged.push(...batch);
        acknowledgedBatches += 1;
        if (acknowledgedBatches === KILL_AFTER_ACKNOWLEDGED_BATCHES) {
          killed = true;
          running.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, (_, index) => client(clientPlan(index))));
    await running.stop('SIGKILL');
    return { sent, acknowledged, killed };
  }

  /** Waits until the restarted store's tailer has projected every event in the log. */
  async function caughtUp(): Promise<void> {
    const reader = new Database(join(dataDir, DATABASE_FILE_NAME), { readonly: true });
    try {
      await eventually(() => {
        const { last } = reader.prepare('SELECT MAX(position) AS last FROM events').get() as { last: number };
        const projected = reader
          .prepare("SELECT position FROM tailer_positions WHERE tailer = 'projector'")
          .get() as { position: number } | undefined;
        expect(projected?.position).toBe(last);
      });
    } finally {
      reader.close();
    }
  }

  it('keeps every acknowledged event and projects each exactly once after a restart', async () => {
    store = await start();
    const { sent, acknowledged, killed } = await hammerAndKill(store);
    expect(killed).toBe(true);

    store = await start();
    await caughtUp();
    await store.stop('SIGTERM');
    store = undefined;

    const database = SqliteDatabase.open(dataDir);
    try {
      const stored = new SqliteEventLog(database)
        .readAfter(0, 100_000)
        .map((logged) => JSON.parse(logged.payload.toString('utf8')) as SessionEvent);
      const storedById = new Map(stored.map((event) => [event.event_id, event]));

      // Nothing acknowledged is lost; nothing stored was made up (unacknowledged in-flight batches may be there).
      for (const event of acknowledged) expect(storedById.get(event.event_id)).toEqual(event);
      for (const event of stored) expect(sent.get(event.event_id)).toEqual(event);

      // Every view is the reference fold of exactly the stored events of its session.
      const bySession = new Map<string, SessionEvent[]>();
      for (const event of stored)
        bySession.set(event.session_id, [...(bySession.get(event.session_id) ?? []), event]);
      const generations = new SqliteViewGenerations(database);
      const views = generations.store(await generations.active());
      for (const [sessionId, events] of bySession) {
        const reference = foldEvents(
          undefined,
          [...events].sort((a, b) => a.seq - b.seq),
        ).projection;
        expect(await views.get(sessionId)).toEqual(reference ?? null);
      }

      // Dead letters are not idempotent: a batch applied twice would leave an orphan's letter twice.
      const orphanEventIds = stored
        .filter((event) => event.session_id.startsWith('orphan-'))
        .map((e) => e.event_id);
      const letters = await new SqliteDeadLetterSink(database).all();
      expect(letters.every((letter) => letter.reason === DeadLetterReason.FoldRejected)).toBe(true);
      expect(letters.map((letter) => letter.eventId).sort()).toEqual([...orphanEventIds].sort());

      // The change feed holds each projected session's latest version.
      const latest = new Map<string, number>();
      const subscription = await new SqliteChangeFeed(database).subscribe({ after: '0' }, (change) =>
        latest.set(change.session_id, change.version),
      );
      await subscription.close();
      for (const [sessionId, events] of bySession) {
        const projection = foldEvents(undefined, events).projection;
        if (projection) expect(latest.get(sessionId)).toBe(projection.version);
      }
    } finally {
      await database.close();
    }
  }, 120_000);
});
