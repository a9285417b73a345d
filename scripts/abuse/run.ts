// npm run abuse: replays the hostile requests of issue 11 (items 1-4) against an embedded store this script starts
// on loopback with a data folder of its own, and prints for each what a victim's request latency (GET /health,
// sequential) and the server's resident memory did meanwhile. Bounded: every scenario has a fixed size, the store is
// stopped at the end whatever happens. Sizes: ABUSE_SESSIONS (default 10000) sessions of other users.
import 'reflect-metadata';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sessionEvents } from '../../test/factories/session-events';
import { startStoreProcess, StoreProcess } from '../../test/support/store-process';

const TOKEN = 'abuse-ingest-token-0123456789abcdef';
const SESSIONS = Number(process.env.ABUSE_SESSIONS ?? 10_000);
const VICTIM_REQUESTS = 40;

interface Figures {
  scenario: string;
  victimP50Ms: number;
  victimMaxMs: number;
  rssBeforeMb: number;
  rssPeakMb: number;
  outcome: string;
}

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
  return line ? Math.round(Number(line[1]) / 1024) : NaN;
}

function get(baseUrl: string, path: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${baseUrl}${path}`, { headers }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

async function timed<T>(work: () => Promise<T>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Runs `attack` while a victim sends sequential requests and the server's RSS is sampled. */
async function measure(
  store: StoreProcess,
  scenario: string,
  attack: () => Promise<string>,
  victimPath = '/health',
): Promise<Figures> {
  const pid = store.child.pid!;
  const rssBeforeMb = rssMb(pid);
  let rssPeakMb = rssBeforeMb;
  const sampler = setInterval(() => (rssPeakMb = Math.max(rssPeakMb, rssMb(pid))), 20);
  const attacking = attack();
  const latencies: number[] = [];
  for (let i = 0; i < VICTIM_REQUESTS; i += 1)
    latencies.push(await timed(() => get(store.baseUrl, victimPath, { 'x-user-id': 'victim' })));
  const outcome = await attacking;
  clearInterval(sampler);
  latencies.sort((a, b) => a - b);
  return {
    scenario,
    victimP50Ms: round(latencies[Math.floor(latencies.length / 2)]),
    victimMaxMs: round(latencies[latencies.length - 1]),
    rssBeforeMb,
    rssPeakMb,
    outcome,
  };
}

const round = (value: number) => Math.round(value * 10) / 10;

async function ingest(store: StoreProcess, events: unknown[]): Promise<void> {
  const body = JSON.stringify({ events });
  await new Promise<void>((resolve, reject) => {
    const req = request(
      `${store.baseUrl}/sessions/events`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      },
      (response) => {
        response.resume();
        response.on('end', () =>
          response.statusCode === 202 ? resolve() : reject(new Error(`ingest: ${response.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function seed(store: StoreProcess): Promise<void> {
  for (let start = 0; start < SESSIONS; start += 500) {
    const events = Array.from(
      { length: Math.min(500, SESSIONS - start) },
      (_, i) =>
        sessionEvents(`other-${start + i}`, `other-user-${(start + i) % 50}`, 'agent-1').created().last,
    );
    await ingest(store, events);
  }
  await ingest(store, [sessionEvents('victims-own', 'victim', 'agent-1').created().last]);
  // The tailer projects asynchronously: wait until the last session shows in its owner's list.
  while ((await get(store.baseUrl, '/sessions/victims-own', { 'x-user-id': 'victim' })) !== 200) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Item 1: change streams resuming from position 0, each opened by another user who owns nothing. */
function replayFromZero(store: StoreProcess, connections: number): Promise<string> {
  return holdRaw(
    store,
    connections,
    (index) =>
      `GET /sessions/changes?agent_id=agent-1 HTTP/1.1\r\nHost: x\r\nx-user-id: nobody-${index}\r\nLast-Event-ID: 0\r\n\r\n`,
  );
}

/** Item 2: bodies of 16 MiB announced without a token and sent one byte at a time. */
function slowUnauthenticatedBodies(store: StoreProcess, connections: number): Promise<string> {
  return holdRaw(
    store,
    connections,
    () =>
      'POST /sessions/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 16777216\r\n\r\n{',
  );
}

/** Item 3: more change streams than one caller may hold. */
function manyStreams(store: StoreProcess, connections: number): Promise<string> {
  return holdRaw(
    store,
    connections,
    () => 'GET /sessions/changes?agent_id=agent-1 HTTP/1.1\r\nHost: x\r\nx-user-id: greedy\r\n\r\n',
  );
}

/**
 * Opens `connections` sockets sending `head`, keeps them for a second, and reports the status lines they got (a
 * stream's is 200; a refused one's 401, 408, 422 or 429).
 */
async function holdRaw(
  store: StoreProcess,
  connections: number,
  head: (index: number) => string,
): Promise<string> {
  const port = Number(new URL(store.baseUrl).port);
  const statuses = await Promise.all(
    Array.from(
      { length: connections },
      (_, index) =>
        new Promise<string>((resolve) => {
          const socket = connect(port, '127.0.0.1');
          let received = '';
          socket.on('data', (chunk) => (received += chunk.toString('latin1')));
          socket.on('error', () => undefined);
          socket.write(head(index));
          setTimeout(() => {
            socket.destroy();
            resolve(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? 'no answer');
          }, 1_000);
        }),
    ),
  );
  const counts = new Map<string, number>();
  statuses.forEach((status) => counts.set(status, (counts.get(status) ?? 0) + 1));
  return [...counts].map(([status, count]) => `${count}x ${status}`).join(', ');
}

/** Item 4: another user's session and an unknown id, read in turn; the answer is the same 404, so is the cost. */
async function existenceByTiming(store: StoreProcess): Promise<string> {
  const foreign: number[] = [];
  const unknown: number[] = [];
  for (let i = 0; i < 50; i += 1) {
    foreign.push(await timed(() => get(store.baseUrl, '/sessions/other-1', { 'x-user-id': 'prober' })));
    unknown.push(await timed(() => get(store.baseUrl, '/sessions/no-such-id', { 'x-user-id': 'prober' })));
  }
  const p50 = (values: number[]) => round(values.sort((a, b) => a - b)[Math.floor(values.length / 2)]);
  return `404 p50: foreign ${p50(foreign)} ms, unknown ${p50(unknown)} ms`;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'abuse-'));
  const store = await startStoreProcess({ dataDir, env: { INGEST_TOKEN: TOKEN } });
  try {
    await seed(store);
    const figures = [
      await measure(store, 'baseline (no attack)', async () => 'no attack'),
      await measure(store, `1. 20 replays from Last-Event-ID 0 over ${SESSIONS} sessions`, () =>
        replayFromZero(store, 20),
      ),
      await measure(store, '2. 20 slow 16 MiB bodies without a token', () =>
        slowUnauthenticatedBodies(store, 20),
      ),
      await measure(store, '3. 30 change streams of one caller', () => manyStreams(store, 30)),
      await measure(store, "4. another user's session vs an unknown id", () => existenceByTiming(store)),
    ];
    console.table(figures);
  } finally {
    await store.stop('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
