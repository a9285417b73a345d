import { SessionEvent } from '@app/domain';
import { SqliteDatabase, SqliteEventLog, SqliteViewGenerations } from '@app/sqlite';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { realisticHistory } from '../../test/factories/session-events';
import { startStoreProcess, StoreProcess } from '../../test/support/store-process';
import { compareViews, expectedViews, Figures, lostOf, sleep, until } from './tally';

const INGEST_TOKEN = 'faults-ingest-token-0123456789';
const CATCH_UP_BOUND_MS = 120_000;

/**
 * The embedded store killed with SIGKILL again and again under concurrent ingest: clients post small batches of
 * their sessions' histories and count a batch as acknowledged only on 202; a batch that got no answer is posted again
 * (identical events already stored are skipped).
 */
export async function embeddedKills(kills: number, workers = 4): Promise<Figures> {
  const dataDir = mkdtempSync(join(tmpdir(), 'faults-embedded-'));
  let store: StoreProcess = await startStoreProcess({ dataDir, env: { INGEST_TOKEN } });
  const acknowledged: SessionEvent[] = [];
  let readerErrors = 0;
  let running = true;
  let sessionNumber = 0;

  const post = async (events: SessionEvent[]): Promise<boolean> => {
    try {
      const response = await fetch(`${store.baseUrl}/sessions/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${INGEST_TOKEN}` },
        body: JSON.stringify({ events }),
      });
      return response.status === 202;
    } catch {
      return false;
    }
  };
  const client = async (worker: number) => {
    while (running) {
      const sessionId = `faults-${worker}-${(sessionNumber += 1)}`;
      const history = realisticHistory(sessionId, `user-${worker}`);
      for (let first = 0; first < history.length && running; first += 2) {
        const batch = history.slice(first, first + 2);
        while (!(await post(batch))) await sleep(200);
        acknowledged.push(...batch);
      }
    }
  };
  const reader = async () => {
    while (running) {
      const last = acknowledged[acknowledged.length - 1];
      if (last) {
        try {
          const response = await fetch(`${store.baseUrl}/sessions/${last.session_id}`, {
            headers: { 'x-user-id': 'user-0' },
          });
          if (response.status >= 500) readerErrors += 1;
        } catch {
          readerErrors += 1;
        }
      }
      await sleep(300);
    }
  };

  const clients = [...Array.from({ length: workers }, (_unused, worker) => client(worker)), reader()];
  for (let kill = 0; kill < kills; kill += 1) {
    await sleep(1000 + Math.random() * 1500);
    await store.stop('SIGKILL');
    store = await startStoreProcess({ dataDir, env: { INGEST_TOKEN } });
  }
  running = false;
  await Promise.all(clients);

  // Read the file beside the running store (WAL readers never block its writer) until the tailer caught up.
  const database = SqliteDatabase.open(dataDir);
  const expected = expectedViews(acknowledged);
  const ids = [...expected.keys()];
  const generations = new SqliteViewGenerations(database);
  const stored = async () => generations.store(await generations.active()).getMany(ids);
  await until(async () => compareViews(expected, await stored()).diverged === 0, CATCH_UP_BOUND_MS);
  const logged = new Set(
    new SqliteEventLog(database)
      .readAfter(0, 10_000_000)
      .map((entry) => (JSON.parse(entry.payload.toString('utf8')) as SessionEvent).event_id),
  );
  const compared = compareViews(expected, await stored());
  const lost = lostOf(acknowledged, logged);
  await database.close();
  await store.stop('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
  return {
    scenario: 'embedded SIGKILL',
    acknowledged: acknowledged.length,
    archived: acknowledged.length - lost,
    lost,
    appliedTwice: compared.appliedTwice,
    diverged: compared.diverged,
    readerErrors,
    notes: `${kills} SIGKILLs under ${workers} concurrent clients`,
  };
}
