import { SessionEvent } from '@app/domain';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startStoreProcess } from '../../test/support/store-process';
import { Measured, measure } from './measure';

/** Clients posting at once, and events per request: an agent platform's runtimes sending as their runs go. */
export const INGEST_CLIENTS = 4;
export const INGEST_BATCH = 100;
const POLL_MS = 20;
/** The list's largest page: every (user, agent) of the workload has far fewer sessions. */
const PAGE = 200;

/**
 * Times `POST /sessions/events` on the embedded store (`apps/store` in a process of its own over `dataDir`), from the
 * first request until every session's view in the list shows its last event: what a client waits for before its
 * writes are visible. The store's start is not timed.
 */
export async function timeHttpIngestUntilCurrent(
  dataDir: string,
  events: readonly SessionEvent[],
  label: string,
): Promise<Measured> {
  const store = await startStoreProcess({ dataDir });
  try {
    const token = readFileSync(join(dataDir, 'ingest-token'), 'utf8').trim();
    return await measure({ label, total: events.length, unit: 'events' }, async (advance) => {
      const client = async (stream: readonly SessionEvent[]) => {
        for (let start = 0; start < stream.length; start += INGEST_BATCH) {
          const batch = stream.slice(start, start + INGEST_BATCH);
          const answer = await fetch(`${store.baseUrl}/sessions/events`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ events: batch }),
          });
          if (answer.status !== 202)
            throw new Error(`ingest answered ${answer.status}: ${await answer.text()}`);
          advance(batch.length);
        }
      };
      await Promise.all(clientStreams(events).map(client));
      await untilViewsCurrent(store.baseUrl, events);
    });
  } finally {
    await store.stop('SIGTERM');
  }
}

/**
 * The events each client sends, in log order: every session belongs to one client, as each agent runtime sends its
 * own sessions' events in order (the SDK sends a session's next event only once the previous one is acknowledged).
 * Split batch by batch among clients instead, a session's later events would overtake earlier ones in flight, and
 * the projector would re-fold nearly every session from the archive for seqs arriving late: a repair path (see
 * the replay behaviour suite), not the common one this figure is about.
 */
function clientStreams(events: readonly SessionEvent[]): SessionEvent[][] {
  const streams: SessionEvent[][] = Array.from({ length: INGEST_CLIENTS }, () => []);
  const clientOf = new Map<string, number>();
  for (const event of events) {
    if (!clientOf.has(event.session_id)) clientOf.set(event.session_id, clientOf.size % INGEST_CLIENTS);
    streams[clientOf.get(event.session_id)!].push(event);
  }
  return streams;
}

/** Polls the list of every (user, agent) until each session's updated_at is its last event's occurred_at. */
async function untilViewsCurrent(baseUrl: string, events: readonly SessionEvent[]): Promise<void> {
  const owners = new Map<string, { userId: string; agentId: string }>();
  const lastOccurred = new Map<string, number>();
  for (const event of events) {
    if (event.type === 'session.created') {
      owners.set(event.session_id, { userId: event.data.user_id, agentId: event.data.agent_id });
    }
    lastOccurred.set(event.session_id, Date.parse(event.occurred_at));
  }
  const lists = new Map<string, { userId: string; agentId: string }>();
  for (const owner of owners.values()) lists.set(`${owner.userId}\n${owner.agentId}`, owner);
  const pending = new Set(lists.keys());
  while (pending.size > 0) {
    for (const key of [...pending]) {
      const { userId, agentId } = lists.get(key)!;
      const answer = await fetch(
        `${baseUrl}/sessions/?agent_id=${encodeURIComponent(agentId)}&limit=${PAGE}`,
        {
          headers: { 'x-user-id': userId },
        },
      );
      const { sessions } = (await answer.json()) as {
        sessions: Array<{ session: { id: string; updated_at: string } }>;
      };
      const expected = [...owners].filter(
        ([, owner]) => owner.userId === userId && owner.agentId === agentId,
      );
      const current = new Map(sessions.map(({ session }) => [session.id, Date.parse(session.updated_at)]));
      if (expected.every(([sessionId]) => current.get(sessionId) === lastOccurred.get(sessionId))) {
        pending.delete(key);
      }
    }
    if (pending.size > 0) await sleep(POLL_MS);
  }
}
