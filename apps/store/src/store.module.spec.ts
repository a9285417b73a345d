import { loadConfig } from '@app/config';
import { foldEvents, parseSessionEvent, SessionEvent, SessionView } from '@app/domain';
import { INGEST_TOKEN_FILE_NAME, MAX_EVENTS_PER_BATCH } from '@app/ingest';
import { ViewGenerations } from '@app/ports';
import { SqliteLogTailer } from '@app/projection';
import { SqliteDeadLetterSink, SqliteEventLog } from '@app/sqlite';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../../../test/contracts/contract-support';
import { realisticHistory, sessionEvents, uuidFor } from '../../../test/factories/session-events';
import { startHttpTestApp } from '../../../test/support/http-test-app';
import { DEMO_AGENT_ID, DEMO_USER_ID, demoEvents } from './demo-sessions';
import { seedDemo } from './seed-demo';
import { StoreModule } from './store.module';

// The embedded app in this process, assembled as apps/store assembles it, over a temporary data folder. The
// SIGKILL test, which needs a process to kill, is test/unit/store-crash.spec.ts.

const INGEST_TOKEN = 'store-spec-token-0123456789';

/** The embedded app over `dataDir`, with only `env` for an environment. */
function startStore(dataDir: string, env: Record<string, string> = {}): Promise<NestFastifyApplication> {
  return startHttpTestApp([
    StoreModule.forRoot(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env })),
  ]);
}

describe('POST /sessions/events on the embedded store', () => {
  let dataDir: string;
  let app: NestFastifyApplication;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'store-ingest-'));
    app = await startStore(dataDir, { INGEST_TOKEN });
  });
  afterEach(async () => {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const post = (body: unknown, token: string | null = INGEST_TOKEN) =>
    app.inject({
      method: 'POST',
      url: '/sessions/events',
      headers: token === null ? {} : { authorization: `Bearer ${token}` },
      payload: body as object,
    });
  const logged = () =>
    app
      .get(SqliteEventLog)
      .readAfter(0, 10_000)
      .map((entry) => JSON.parse(entry.payload.toString('utf8')) as SessionEvent);

  describe('authentication', () => {
    it('answers 401 with what to send when the token is missing', async () => {
      const response = await post({ events: realisticHistory('session-a') }, null);
      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer');
      expect(response.json().detail).toMatch(/Authorization: Bearer <INGEST_TOKEN>/);
      expect(logged()).toEqual([]);
    });

    it('answers 401 to a wrong token and to a user identity', async () => {
      for (const headers of [{ authorization: 'Bearer not-the-token' }, { 'x-user-id': 'user-1' }]) {
        const response = await app.inject({
          method: 'POST',
          url: '/sessions/events',
          headers,
          payload: { events: realisticHistory('session-a') },
        });
        expect(response.statusCode).toBe(401);
      }
      expect(logged()).toEqual([]);
    });
  });

  describe('accepted batches', () => {
    it('appends a valid batch and the projector folds it', async () => {
      const events = realisticHistory('session-a');
      const response = await post({ events });
      expect(response.statusCode).toBe(202);
      // Rows 1 to 23 of the log: the position just past them, in the body and the header.
      expect(response.json()).toEqual({ accepted: events.length, position: '0:24' });
      expect(response.headers['log-position']).toBe('0:24');
      expect(logged()).toEqual(events);
      const generations = app.get(ViewGenerations);
      await eventually(async () => {
        const view = await generations.store(await generations.active()).get('session-a');
        expect(view?.version).toBe(events.length);
      });
    });

    it('acknowledges a retried batch again without storing it twice', async () => {
      const events = realisticHistory('session-a').slice(0, 4);
      expect((await post({ events })).statusCode).toBe(202);
      const retry = await post({ events: [...events, realisticHistory('session-a')[4]] });
      expect(retry.statusCode).toBe(202);
      expect(logged()).toEqual(realisticHistory('session-a').slice(0, 5));
      // A batch the log held whole is acknowledged with where it was stored.
      expect((await post({ events: events.slice(0, 2) })).json()).toEqual({ accepted: 2, position: '0:3' });
    });
  });

  describe('refused batches', () => {
    it('reports every problem of every event, pointing into the body, and stores nothing', async () => {
      const [created, started] = sessionEvents('session-a').created().runStarted().events;
      const broken = { ...started, seq: 0, occurred_at: 'yesterday', data: {} };
      const { event_id: _dropped, ...withoutId } = created;
      const response = await post({ events: [created, broken, 'not an event', withoutId] });
      expect(response.statusCode).toBe(422);
      const detail = response.json().detail as {
        type: string;
        loc: unknown[];
        msg: string;
        input: unknown;
      }[];
      expect(detail.map((issue) => issue.loc)).toEqual([
        ['body', 'events', 1, 'seq'],
        ['body', 'events', 1, 'occurred_at'],
        ['body', 'events', 1, 'data', 'reply_id'],
        ['body', 'events', 2],
        ['body', 'events', 3, 'event_id'],
      ]);
      expect(detail[0]).toMatchObject({ type: 'value_error', input: 0 });
      expect(detail[1]).toMatchObject({ type: 'value_error', input: 'yesterday' });
      expect(detail[2]).toEqual({
        type: 'missing',
        loc: ['body', 'events', 1, 'data', 'reply_id'],
        msg: 'Field required',
        input: null,
      });
      expect(detail[3]).toMatchObject({ type: 'value_error', input: 'not an event' });
      expect(logged()).toEqual([]);
    });

    it('refuses a batch whose event collides with a stored one, naming it, and stores none of it', async () => {
      const builder = sessionEvents('session-a').created().runStarted();
      await post({ events: builder.events });
      const next = builder.runStopped('completed').last;
      const impostor = { ...builder.events[1], event_id: uuidFor('impostor') };
      const response = await post({ events: [next, impostor] });
      expect(response.statusCode).toBe(422);
      expect(response.json().detail).toEqual([
        {
          type: 'seq_taken',
          loc: ['body', 'events', 1, 'seq'],
          msg: `seq 2 of session session-a is already held by event ${builder.events[1].event_id}`,
          input: 2,
        },
      ]);
      expect(logged()).toEqual(builder.events.slice(0, 2));
    });

    it('refuses two events of one batch that claim the same seq', async () => {
      const [created] = sessionEvents('session-a').created().events;
      const rival = { ...created, event_id: uuidFor('rival') };
      const response = await post({ events: [created, rival] });
      expect(response.statusCode).toBe(422);
      expect(response.json().detail).toMatchObject([
        { type: 'seq_taken', loc: ['body', 'events', 1, 'seq'] },
      ]);
      expect(logged()).toEqual([]);
    });

    it('refuses different content under a stored event id, and under one id twice in a batch', async () => {
      const builder = sessionEvents('session-a').created().runStarted();
      await post({ events: builder.events });
      const edited = { ...builder.events[1], data: { reply_id: 'another-reply' } };

      const later = await post({ events: [edited] });
      expect([later.statusCode, later.json().detail]).toEqual([
        422,
        [
          {
            type: 'event_id_taken',
            loc: ['body', 'events', 0, 'event_id'],
            msg: `event_id ${edited.event_id} is already stored with different content: a retry must resend the same event`,
            input: edited.event_id,
          },
        ],
      ]);

      const next = builder.runStopped('completed').last;
      const twice = await post({ events: [next, { ...next, data: { reason: 'failed' } }] });
      expect(twice.statusCode).toBe(422);
      expect(twice.json().detail).toMatchObject([
        { type: 'event_id_taken', loc: ['body', 'events', 1, 'event_id'] },
      ]);
      expect(logged()).toEqual(builder.events.slice(0, 2));
    });

    it('refuses a body without events, an empty batch and an oversized one', async () => {
      const missing = await post({ event: [] });
      expect(missing.statusCode).toBe(422);
      expect(missing.json().detail).toEqual([
        { type: 'missing', loc: ['body', 'events'], msg: 'Field required', input: null },
      ]);
      expect((await post({ events: [] })).json().detail).toMatchObject([{ type: 'too_short' }]);
      const tooMany = Array.from(
        { length: MAX_EVENTS_PER_BATCH + 1 },
        (_, index) => sessionEvents(`session-${index}`).created().last,
      );
      const oversized = await post({ events: tooMany });
      expect(oversized.statusCode).toBe(422);
      expect(oversized.json().detail).toMatchObject([
        { type: 'too_long', loc: ['body', 'events'], ctx: { max_length: MAX_EVENTS_PER_BATCH } },
      ]);
      expect(logged()).toEqual([]);
    });
  });
});

describe('the ingest token when INGEST_TOKEN is not set', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'store-token-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('is generated once into the data folder, readable by its owner only, and kept across restarts', async () => {
    let app = await startStore(dataDir);
    const file = join(dataDir, INGEST_TOKEN_FILE_NAME);
    const token = readFileSync(file, 'utf8').trim();
    expect(token.length).toBeGreaterThanOrEqual(32);
    expect(statSync(file).mode & 0o077).toBe(0);
    await app.close();

    app = await startStore(dataDir);
    try {
      expect(readFileSync(file, 'utf8').trim()).toBe(token);
      const response = await app.inject({
        method: 'POST',
        url: '/sessions/events',
        headers: { authorization: `Bearer ${token}` },
        payload: { events: realisticHistory('session-a').slice(0, 1) },
      });
      expect(response.statusCode).toBe(202);
    } finally {
      await app.close();
    }
  });
});

describe('the embedded store across a restart', () => {
  let dataDir: string;
  let app: NestFastifyApplication | undefined;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'store-restart-'));
  });
  afterEach(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const start = async () => (app = await startStore(dataDir, { INGEST_TOKEN }));
  const ingest = async (events: SessionEvent[]) => {
    const response = await app!.inject({
      method: 'POST',
      url: '/sessions/events',
      headers: { authorization: `Bearer ${INGEST_TOKEN}` },
      payload: { events },
    });
    expect(response.statusCode).toBe(202);
  };
  const view = async (sessionId: string) => {
    const generations = app!.get(ViewGenerations);
    return generations.store(await generations.active()).get(sessionId);
  };
  const projectedEverything = () =>
    eventually(() => {
      const log = app!.get(SqliteEventLog);
      expect(log.readAfter(app!.get(SqliteLogTailer).storedPosition(), 1)).toEqual([]);
    });

  it('keeps events, views, dead letters and its position, and goes on from there', async () => {
    const history = realisticHistory('session-a');
    const orphan = sessionEvents('session-orphan').runStarted().events;
    await start();
    await ingest([...history.slice(0, 10), ...orphan]);
    await projectedEverything();
    await app!.close();

    await start();
    expect((await view('session-a'))?.version).toBe(10);
    expect(app!.get(SqliteEventLog).readAfter(0, 1000)).toHaveLength(11);

    await ingest(history.slice(10));
    await projectedEverything();
    expect(await view('session-a')).toEqual(foldEvents(undefined, history).projection);
    // Had the restart lost the tailer's position, the orphan would have been dead-lettered again.
    expect((await app!.get(SqliteDeadLetterSink).all()).map((letter) => letter.eventId)).toEqual([
      orphan[0].event_id,
    ]);
  });
});

describe(seedDemo.name, () => {
  let dataDir: string;
  let app: NestFastifyApplication;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'store-demo-'));
    app = await startStore(dataDir, { INGEST_TOKEN });
  });
  afterEach(async () => {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('builds only valid events', () => {
    const problems = demoEvents().flatMap((event) => {
      const result = parseSessionEvent(event);
      return result.ok ? [] : result.errors;
    });
    expect(problems).toEqual([]);
  });

  it("fills the demo agent's list in the read API, and seeding twice adds nothing", async () => {
    await seedDemo(app, 'http://127.0.0.1:3000');
    await seedDemo(app, 'http://127.0.0.1:3000');
    expect(app.get(SqliteEventLog).readAfter(0, 1000)).toHaveLength(demoEvents().length);
    await eventually(async () => {
      const response = await app.inject({
        method: 'GET',
        url: `/sessions/?agent_id=${DEMO_AGENT_ID}`,
        headers: { 'x-user-id': DEMO_USER_ID },
      });
      expect(response.statusCode).toBe(200);
      const { sessions, total } = response.json() as { sessions: SessionView[]; total: number };
      expect(total).toBe(3);
      expect(sessions.map((view) => view.status).sort()).toEqual(['awaiting_permission', 'idle', 'running']);
    });
  });
});
