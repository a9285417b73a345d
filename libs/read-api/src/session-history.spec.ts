import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ConfigModule, loadConfig } from '@app/config';
import { foldEvents, SessionEvent } from '@app/domain';
import { EventArchive } from '@app/ports';
import { foldIntoStore, groupBySession } from '@app/projection';
import { SqliteModule } from '@app/sqlite';
import { realisticHistory, sessionEvents } from '../../../test/factories/session-events';
import { startHttpTestApp } from '../../../test/support/http-test-app';
import { activeStore } from '../../../test/support/read-side';
import { ReadApiModule } from './read-api.module';

const ME = 'user-me';
const OTHER = 'user-other';

describe('GET /sessions/:id/events and /sessions/:id/state', () => {
  let dataDir: string;
  let app: NestFastifyApplication;
  const mine = realisticHistory('audit-mine', ME, 'agent-1');
  const theirs = sessionEvents('audit-theirs', OTHER, 'agent-1').created().runStarted().events;
  const deleted = sessionEvents('audit-deleted', ME, 'agent-1').created().runStarted().deleted().events;

  const project = async (events: SessionEvent[]) => {
    await app.get(EventArchive).append(events);
    await foldIntoStore(
      await activeStore(app),
      groupBySession(events, (event) => event),
    );
  };

  const get = (url: string, userId = ME) =>
    app.inject({ method: 'GET', url, headers: { 'x-user-id': userId } });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'read-api-history-'));
    app = await startHttpTestApp([
      ConfigModule.forRoot(loadConfig({ DATA_DIR: dataDir })),
      SqliteModule.forRoot(),
      ReadApiModule,
    ]);
    await project([...mine, ...theirs, ...deleted]);
  });

  afterAll(async () => {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("pages the caller's session history in seq order", async () => {
    const first = await get('/sessions/audit-mine/events?limit=10');
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ events: mine.slice(0, 10), next_after_seq: 10 });

    const rest = await get(`/sessions/audit-mine/events?after_seq=10&limit=1000`);
    expect(rest.json()).toEqual({ events: mine.slice(10), next_after_seq: null });
  });

  it("answers another user's and an unknown session with the same 404, on both endpoints", async () => {
    for (const url of [
      '/sessions/audit-theirs/events',
      '/sessions/audit-theirs/state?at_seq=1',
      '/sessions/nope/events',
      '/sessions/nope/state?at_seq=1',
    ]) {
      const response = await get(url);
      expect([url, response.statusCode, response.json()]).toEqual([
        url,
        404,
        { detail: 'Session not found' },
      ]);
    }
    expect((await get('/sessions/audit-theirs/events', OTHER)).statusCode).toBe(200);
  });

  it('keeps the history of a deleted session auditable', async () => {
    expect((await get('/sessions/audit-deleted')).statusCode).toBe(404);
    expect((await get('/sessions/audit-deleted/events')).json().events).toEqual(deleted);
    const before = await get('/sessions/audit-deleted/state?at_seq=2');
    expect(before.json()).toMatchObject({ version: 2, deleted: false });
  });

  it('answers the view at every seq as the fold of that prefix', async () => {
    for (let seq = 1; seq <= mine.length; seq += 1) {
      const expected = foldEvents(undefined, mine.slice(0, seq)).projection!;
      const response = await get(`/sessions/audit-mine/state?at_seq=${seq}`);
      expect(response.json()).toEqual({
        session_id: 'audit-mine',
        version: seq,
        deleted: false,
        view: expected.view,
      });
    }
  });

  it('answers the view at an instant, and 404 before the session existed', async () => {
    const middle = mine[7];
    const response = await get(`/sessions/audit-mine/state?at=${encodeURIComponent(middle.occurred_at)}`);
    expect(response.json().version).toBe(middle.seq);

    const early = await get('/sessions/audit-mine/state?at=2001-01-01T00:00:00Z');
    expect([early.statusCode, early.json()]).toEqual([
      404,
      { detail: 'Session did not exist yet at that point' },
    ]);
  });

  it('refuses a state request without exactly one point, and bad paging, in the seed error shape', async () => {
    const neither = await get('/sessions/audit-mine/state');
    expect(neither.statusCode).toBe(422);
    expect(neither.json()).toEqual({
      detail: [
        {
          type: 'value_error',
          loc: ['query', 'at_seq'],
          msg: 'Value error, give exactly one of at_seq and at',
          input: null,
        },
      ],
    });
    expect((await get('/sessions/audit-mine/state?at_seq=2&at=2025-01-01T00:00:00Z')).statusCode).toBe(422);
    for (const query of ['at_seq=0', 'at_seq=two', 'at=yesterday', 'at=2025-01-01T00:00:00']) {
      const response = await get(`/sessions/audit-mine/state?${query}`);
      expect([query, response.statusCode]).toEqual([query, 422]);
      expect(response.json().detail[0].loc[0]).toBe('query');
    }
    for (const query of ['limit=0', 'limit=1001', 'after_seq=-1', 'limit=ten']) {
      const response = await get(`/sessions/audit-mine/events?${query}`);
      expect([query, response.statusCode]).toEqual([query, 422]);
    }
  });
});
