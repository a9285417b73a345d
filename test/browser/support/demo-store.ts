import { SessionEventOf, SessionEventType } from '@app/domain';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_AGENT_ID } from '../../../apps/store/src/demo-sessions';
import { sessionEvent, timestampAt } from '../../factories/session-events';
import { startStoreProcess, StoreProcess } from '../../support/store-process';

/** The embedded store as `npm start -- --demo` runs it, on a data folder of its own. */
export interface DemoStore {
  baseUrl: string;
  /** Sends events through `POST /sessions/events` with the store's ingest token; fails unless all are accepted. */
  ingest(events: object[]): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the store with --demo and resolves once `caller` (its credential headers) sees the three demo sessions. */
export async function startDemoStore(
  caller: Record<string, string>,
  env: Record<string, string> = {},
): Promise<DemoStore> {
  const dataDir = mkdtempSync(join(tmpdir(), 'console-browser-'));
  let store: StoreProcess;
  try {
    store = await startStoreProcess({ dataDir, args: ['--demo'], env });
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  while ((await demoSessionsSeen(store.baseUrl, caller)) < 3) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    baseUrl: store.baseUrl,
    ingest: async (events) => {
      const token = readFileSync(join(dataDir, 'ingest-token'), 'utf8').trim();
      const response = await fetch(`${store.baseUrl}/sessions/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ events }),
      });
      expect([response.status, await response.json()]).toEqual([
        202,
        { accepted: events.length, position: expect.stringMatching(/^0:\d+$/) },
      ]);
    },
    stop: async () => {
      await store.stop('SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function demoSessionsSeen(baseUrl: string, caller: Record<string, string>): Promise<number> {
  const response = await fetch(`${baseUrl}/sessions/?agent_id=${DEMO_AGENT_ID}`, { headers: caller });
  if (!response.ok) throw new Error(`the demo list answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { total: number }).total;
}

/** An event after the demo's (its last is in March 2025): a day later, a minute apart by seq. */
export function laterEvent<TType extends SessionEventType>(
  sessionId: string,
  seq: number,
  type: TType,
  data: SessionEventOf<TType>['data'],
): SessionEventOf<TType> {
  return sessionEvent(type, data, {
    session_id: sessionId,
    seq,
    occurred_at: timestampAt(seq * 60, '2025-03-06T10:00:00Z'),
  });
}
