import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_AGENT_ID, DEMO_USER_ID } from '../../apps/store/src/demo-sessions';
import { realisticHistory } from '../factories/session-events';
import { OriginTwin, startOriginTwin } from '../support/origin-twin';
import { RawAnswer, sendRaw } from '../contract-origin/raw-http';
import { StoreProcess, startStoreProcess } from '../support/store-process';

// The drop-in claim judged from outside: every request below goes to the embedded store and to the origin
// service's list endpoint rebuilt with FastAPI and pydantic v2 (scripts/origin-twin), over the same sessions. A
// client of the origin sees the same status, body, `Allow` header and media type, except where a difference is
// declared here with its reason; a declared difference must still differ, so the list cannot go stale.

interface Case {
  name: string;
  /** Request line and header lines, as a client would write them (Host and Connection are added). */
  head: string;
  differs?: string;
}

const LIST = `/sessions/?agent_id=${DEMO_AGENT_ID}`;
const USER = `x-user-id: ${DEMO_USER_ID}`;
/** More sessions of one agent than any page size of this store, all created at the same instants. */
const MANY = { userId: 'busy-user', agentId: 'busy-agent', sessions: 120 };

const CASES: Case[] = [
  { name: 'the demo user lists the demo agent', head: `GET ${LIST} HTTP/1.1\r\n${USER}` },
  { name: 'another user lists the same agent', head: `GET ${LIST} HTTP/1.1\r\nx-user-id: somebody-else` },
  {
    name: 'an agent with more sessions than a page holds, created at the same instant',
    head: `GET /sessions/?agent_id=${MANY.agentId} HTTP/1.1\r\nx-user-id: ${MANY.userId}`,
  },
  { name: 'an agent with no sessions', head: `GET /sessions/?agent_id=nobody HTTP/1.1\r\n${USER}` },
  { name: 'both inputs missing', head: 'GET /sessions/ HTTP/1.1' },
  { name: 'x-user-id missing', head: `GET ${LIST} HTTP/1.1` },
  { name: 'x-user-id empty', head: `GET ${LIST} HTTP/1.1\r\nx-user-id:` },
  { name: 'x-user-id blank', head: `GET ${LIST} HTTP/1.1\r\nx-user-id:    ` },
  { name: 'agent_id missing', head: `GET /sessions/ HTTP/1.1\r\n${USER}` },
  { name: 'agent_id without "="', head: `GET /sessions/?agent_id HTTP/1.1\r\n${USER}` },
  { name: 'agent_id empty', head: `GET /sessions/?agent_id= HTTP/1.1\r\n${USER}` },
  {
    name: 'agent_id percent-encoded Unicode',
    head: `GET /sessions/?agent_id=%C3%A9t%C3%A9 HTTP/1.1\r\n${USER}`,
  },
  { name: 'agent_id with a malformed escape', head: `GET /sessions/?agent_id=%zz HTTP/1.1\r\n${USER}` },
  { name: 'x-user-id given twice', head: `GET ${LIST} HTTP/1.1\r\n${USER}\r\nx-user-id: somebody-else` },
  { name: 'x-user-id of 4 KiB', head: `GET ${LIST} HTTP/1.1\r\nx-user-id: ${'u'.repeat(4096)}` },
  { name: 'a query parameter the origin does not know', head: `GET ${LIST}&colour=blue HTTP/1.1\r\n${USER}` },
  { name: 'POST on the list', head: `POST ${LIST} HTTP/1.1\r\n${USER}` },
  { name: 'DELETE on the list', head: `DELETE /sessions/ HTTP/1.1\r\n${USER}` },
  { name: 'PUT on the list', head: `PUT /sessions/ HTTP/1.1\r\n${USER}` },
  { name: 'HEAD on the list', head: `HEAD ${LIST} HTTP/1.1\r\n${USER}` },
  { name: 'OPTIONS on the list', head: `OPTIONS /sessions/ HTTP/1.1\r\n${USER}` },
  { name: 'an unknown path', head: `GET /nowhere HTTP/1.1\r\n${USER}` },
  { name: 'an unknown path under /sessions/', head: `GET /sessions/a/b/c/d HTTP/1.1\r\n${USER}` },
  {
    name: 'agent_id given twice',
    head: `GET ${LIST}&agent_id=other HTTP/1.1\r\n${USER}`,
    differs: 'a repeated parameter is a 422 here; FastAPI silently takes the last one',
  },
  {
    name: 'the list without its slash',
    head: `GET /sessions?agent_id=${DEMO_AGENT_ID} HTTP/1.1\r\n${USER}`,
    differs: 'served directly here; the origin redirects to /sessions/ with 307',
  },
  {
    name: 'a paging parameter out of range',
    head: `GET ${LIST}&limit=0 HTTP/1.1\r\n${USER}`,
    differs:
      'limit is this store’s extension and is validated; the origin ignores parameters it does not declare',
  },
];

/** Sends `head` as written, closing the connection after the answer. */
function send(baseUrl: string, head: string): Promise<RawAnswer> {
  return sendRaw(Number(new URL(baseUrl).port), `${head}\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
}

/** What a client of the origin can observe: status, media type, Allow, and the body (parsed when JSON). */
function observed(answer: RawAnswer, method: string) {
  const contentType = answer.headers['content-type'];
  const isJson = contentType?.startsWith('application/json') ?? false;
  return {
    status: answer.status,
    mediaType: method === 'HEAD' ? undefined : contentType?.split(';')[0],
    allow: answer.headers.allow,
    body: method === 'HEAD' ? '' : isJson ? (JSON.parse(answer.body) as unknown) : answer.body,
  };
}

describe('the list endpoint beside the origin service (FastAPI twin)', () => {
  let dataDir: string;
  let store: StoreProcess;
  let twin: OriginTwin;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'origin-twin-'));
    store = await startStoreProcess({ dataDir, args: ['--demo'] });
    await untilDemoListed(store.baseUrl);
    await ingestManySessions(store.baseUrl, dataDir);
    twin = await startOriginTwin(store.baseUrl);
  }, 360_000);

  afterAll(async () => {
    await twin?.stop();
    await store?.stop('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it.each(CASES.filter((c) => c.differs === undefined).map((c) => [c.name, c] as const))(
    'answers as the origin does: %s',
    async (_name, { head }) => {
      const method = head.split(' ')[0];
      const [ours, origin] = await Promise.all([send(store.baseUrl, head), send(twin.baseUrl, head)]);
      expect(observed(ours, method)).toEqual(observed(origin, method));
    },
  );

  it.each(CASES.filter((c) => c.differs !== undefined).map((c) => [c.name, c] as const))(
    'still differs as declared: %s',
    async (_name, { head }) => {
      const method = head.split(' ')[0];
      const [ours, origin] = await Promise.all([send(store.baseUrl, head), send(twin.baseUrl, head)]);
      expect(observed(ours, method)).not.toEqual(observed(origin, method));
    },
  );
});

/** MANY's sessions through the store's ingest, then until its list holds them all. */
async function ingestManySessions(baseUrl: string, dataDir: string): Promise<void> {
  const token = readFileSync(join(dataDir, 'ingest-token'), 'utf8').trim();
  const events = Array.from({ length: MANY.sessions }, (_, index) =>
    realisticHistory(`busy-session-${String(index).padStart(3, '0')}`, MANY.userId, MANY.agentId),
  ).flat();
  for (let start = 0; start < events.length; start += 500) {
    const answer = await fetch(`${baseUrl}/sessions/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events: events.slice(start, start + 500) }),
    });
    if (answer.status !== 202) throw new Error(`ingest answered ${answer.status}: ${await answer.text()}`);
  }
  await untilListed(baseUrl, MANY.userId, MANY.agentId, MANY.sessions);
}

function untilDemoListed(baseUrl: string): Promise<void> {
  return untilListed(baseUrl, DEMO_USER_ID, DEMO_AGENT_ID, 3);
}

async function untilListed(
  baseUrl: string,
  userId: string,
  agentId: string,
  sessions: number,
): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const answer = await fetch(`${baseUrl}/sessions/?agent_id=${agentId}`, {
      headers: { 'x-user-id': userId },
    });
    if (answer.ok && ((await answer.json()) as { total: number }).total >= sessions) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the ${sessions} sessions of ${userId}'s ${agentId} never appeared in the list`);
}
