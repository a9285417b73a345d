import { ConfigModule, loadConfig } from '@app/config';
import { SessionProjection } from '@app/domain';
import { HealthModule, MetricsModule } from '@app/http';
import { ChangeFeed, ViewGenerations } from '@app/ports';
import { SqliteChangeFeed, SqliteDatabase, SqliteModule } from '@app/sqlite';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  projectionOf,
  renamed,
  uniqueSessionId,
  viewChangeOf,
} from '../../../test/contracts/contract-support';
import { realisticProjection } from '../../../test/factories/session-events';
import { startHttpTestApp } from '../../../test/support/http-test-app';
import { insertViews, SubscriptionCountingFeed, updateViews } from '../../../test/support/read-side';
import { jsonShapeDifferences } from '../../../test/support/json-shape';
import {
  SEED_EXTRA_KEYS,
  SEED_SESSION_VIEW,
  seedViewShapeDifferences,
} from '../../../test/support/seed-view-shape';
import { openSse, SseStream } from '../../../test/support/sse-client';
import { ReadApiModule } from './read-api.module';
import { SessionsController } from './sessions.controller';

const ME = 'user-me';
const OTHER = 'user-other';

describe(SessionsController.name, () => {
  let dataDir: string;
  let app: NestFastifyApplication;
  let feed: SubscriptionCountingFeed;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'read-api-'));
    const config = loadConfig({ DATA_DIR: dataDir });
    app = await startHttpTestApp(
      [ConfigModule.forRoot(config), SqliteModule.forRoot(), ReadApiModule, HealthModule, MetricsModule],
      {
        heartbeatMs: 50,
        // ChangeFeed is an alias of the concrete adapter, so the adapter's provider is the one to wrap.
        override: (builder) =>
          builder.overrideProvider(SqliteChangeFeed).useFactory({
            factory: (database: SqliteDatabase) =>
              new SubscriptionCountingFeed(new SqliteChangeFeed(database)),
            inject: [SqliteDatabase],
          }),
      },
    );
    feed = app.get(ChangeFeed);
  });

  afterAll(async () => {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const get = (url: string, headers: Record<string, string> = { 'x-user-id': ME }) =>
    app.inject({ method: 'GET', url, headers });

  /** A fresh agent id per test, so tests sharing the database never see each other's sessions. */
  const freshAgent = () => uniqueSessionId('agent');

  describe('GET /sessions/', () => {
    it("answers the seed's body: {sessions, total} with SessionViews shaped as the seed's, key for key", async () => {
      const agent = freshAgent();
      const projection = realisticProjection(uniqueSessionId(), ME, agent);
      await insertViews(app, projection);
      const response = await get(`/sessions/?agent_id=${agent}`);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toContain('application/json');
      const body = response.json();
      expect(Object.keys(body).sort()).toEqual(['sessions', 'total']);
      expect(body.total).toBe(1);
      expect(body.sessions).toEqual([projection.view]);
      expect(seedViewShapeDifferences(body.sessions[0])).toEqual([]);
    });

    it('answers /sessions like /sessions/', async () => {
      const agent = freshAgent();
      await insertViews(app, projectionOf(uniqueSessionId(), { userId: ME, agentId: agent }));
      const withSlash = await get(`/sessions/?agent_id=${agent}`);
      const withoutSlash = await get(`/sessions?agent_id=${agent}`);
      expect(withoutSlash.statusCode).toBe(200);
      expect(withoutSlash.body).toBe(withSlash.body);
    });

    it("lists only the caller's sessions of the agent, newest first, leaving deleted ones out", async () => {
      const agent = freshAgent();
      const older = projectionOf(uniqueSessionId('older'), { userId: ME, agentId: agent, updatedAt: 10 });
      const newer = projectionOf(uniqueSessionId('newer'), { userId: ME, agentId: agent, updatedAt: 20 });
      const deleted = projectionOf(uniqueSessionId('deleted'), {
        userId: ME,
        agentId: agent,
        updatedAt: 30,
        deleted: true,
      });
      const othersSameAgent = projectionOf(uniqueSessionId('other'), {
        userId: OTHER,
        agentId: agent,
        updatedAt: 40,
      });
      const mineOtherAgent = projectionOf(uniqueSessionId('elsewhere'), {
        userId: ME,
        agentId: freshAgent(),
        updatedAt: 50,
      });
      await insertViews(app, older, newer, deleted, othersSameAgent, mineOtherAgent);

      const body = (await get(`/sessions/?agent_id=${agent}`)).json();
      expect(body.sessions.map((view: { session: { id: string } }) => view.session.id)).toEqual([
        newer.session_id,
        older.session_id,
      ]);
      expect(body.total).toBe(2);
      const theirs = (await get(`/sessions/?agent_id=${agent}`, { 'x-user-id': OTHER })).json();
      expect(theirs.sessions.map((view: { session: { id: string } }) => view.session.id)).toEqual([
        othersSameAgent.session_id,
      ]);
    });

    it('pages with limit and offset, total counting every match; every session without limit, as the origin', async () => {
      const agent = freshAgent();
      const sessions = Array.from({ length: 55 }, (_, index) =>
        projectionOf(`${agent}-s${String(index).padStart(2, '0')}`, {
          userId: ME,
          agentId: agent,
          updatedAt: index,
        }),
      );
      await insertViews(app, ...sessions);
      const newestFirst = sessions.map((projection) => projection.session_id).reverse();
      const idsOf = (body: { sessions: { session: { id: string } }[] }) =>
        body.sessions.map((view) => view.session.id);

      const unpaged = await get(`/sessions/?agent_id=${agent}`);
      expect(idsOf(unpaged.json())).toEqual(newestFirst);
      expect(unpaged.json().total).toBe(55);
      expect(unpaged.headers.link).toBeUndefined();
      const page = (await get(`/sessions/?agent_id=${agent}&limit=10&offset=20`)).json();
      expect(idsOf(page)).toEqual(newestFirst.slice(20, 30));
      expect(page.total).toBe(55);
      const beyond = (await get(`/sessions/?agent_id=${agent}&limit=10&offset=60`)).json();
      expect(beyond).toEqual({ sessions: [], total: 55 });
    });

    it('filters by is_running, status, source, team_id and updated_after', async () => {
      const agent = freshAgent();
      const spec = { userId: ME, agentId: agent };
      const running = projectionOf(uniqueSessionId('running'), { ...spec, run: 'running', updatedAt: 5 });
      const waiting = projectionOf(uniqueSessionId('waiting'), {
        ...spec,
        run: 'awaiting_permission',
        updatedAt: 4,
      });
      const scheduled = projectionOf(uniqueSessionId('scheduled'), {
        ...spec,
        source: 'schedule',
        updatedAt: 3,
      });
      const teamed = projectionOf(uniqueSessionId('teamed'), { ...spec, teamId: 'team-x', updatedAt: 2 });
      await insertViews(app, running, waiting, scheduled, teamed);
      const ids = async (query: string) =>
        (await get(`/sessions/?agent_id=${agent}&${query}`))
          .json()
          .sessions.map((view: { session: { id: string } }) => view.session.id);

      expect(await ids('is_running=true')).toEqual([running.session_id]);
      expect(await ids('is_running=false')).toEqual([
        waiting.session_id,
        scheduled.session_id,
        teamed.session_id,
      ]);
      expect(await ids('status=awaiting_permission')).toEqual([waiting.session_id]);
      expect(await ids('source=schedule')).toEqual([scheduled.session_id]);
      expect(await ids('team_id=team-x')).toEqual([teamed.session_id]);
      const boundary = encodeURIComponent(scheduled.view.session.updated_at);
      expect(await ids(`updated_after=${boundary}`)).toEqual([running.session_id, waiting.session_id]);
      const filtered = (await get(`/sessions/?agent_id=${agent}&is_running=false&limit=1`)).json();
      expect(filtered.total).toBe(3);
    });

    it('sends view=summary with every key of the seed but without the conversation and cached files', async () => {
      const agent = freshAgent();
      const projection = realisticProjection(uniqueSessionId(), ME, agent);
      await insertViews(app, projection);
      const [summary] = (await get(`/sessions/?agent_id=${agent}&view=summary`)).json().sessions;
      expect(seedViewShapeDifferences(summary, { allowEmptyArrays: true })).toEqual([]);
      expect(summary.session.state.context).toEqual([]);
      expect(summary.session.state.summary).toBe('');
      expect(summary.session.state.tool_context).toEqual({
        ...projection.view.session.state.tool_context,
        read_file_cache: [],
      });
      expect(summary.session.state.tasks_context).toEqual(projection.view.session.state.tasks_context);
      expect(summary.team).toEqual(projection.view.team);
      expect(projection.view.session.state.context.length).toBeGreaterThan(0);
    });

    it('pages by cursor without duplicates or omissions of unchanged sessions while others are written', async () => {
      const agent = freshAgent();
      const sessions = Array.from({ length: 12 }, (_, index) =>
        projectionOf(`${agent}-c${String(index).padStart(2, '0')}`, {
          userId: ME,
          agentId: agent,
          updatedAt: 100 + index,
        }),
      );
      await insertViews(app, ...sessions);
      const seen: string[] = [];
      const touched = new Set<string>();
      let url: string | undefined = `/sessions/?agent_id=${agent}&limit=5`;
      let round = 0;
      // More rounds than pages would mean the cursor does not advance.
      while (url !== undefined && round < sessions.length) {
        const response = await get(url);
        expect(response.statusCode).toBe(200);
        seen.push(...response.json().sessions.map((view: { session: { id: string } }) => view.session.id));
        url = nextLink(response.headers.link as string | undefined);
        // Between pages, an unread session moves to the front and a new one appears: offsets would now shift.
        const victim = sessions[round];
        touched.add(victim.session_id);
        await updateViews(app, {
          previous: victim,
          next: renamed(victim, `renamed ${round}`, '2030-01-01T00:00:00Z'),
        });
        await insertViews(
          app,
          projectionOf(`${agent}-new-${round}`, {
            userId: ME,
            agentId: agent,
            updatedAt: '2030-01-02T00:00:00Z',
          }),
        );
        round += 1;
      }
      const unchanged = sessions.map((projection) => projection.session_id).filter((id) => !touched.has(id));
      expect(seen.filter((id) => unchanged.includes(id)).sort()).toEqual(unchanged.sort());
      expect(new Set(seen).size).toBe(seen.length);
    });

    it('omits the next link on a page that is not full', async () => {
      const agent = freshAgent();
      await insertViews(app, projectionOf(uniqueSessionId(), { userId: ME, agentId: agent }));
      expect((await get(`/sessions/?agent_id=${agent}&limit=2`)).headers.link).toBeUndefined();
      const full = await get(`/sessions/?agent_id=${agent}&limit=1&offset=0`);
      expect(full.headers.link).toMatch(
        /^<\/sessions\/\?agent_id=[^>]*&limit=1&cursor=[A-Za-z0-9_-]+>; rel="next"$/,
      );
    });

    it('tags the body with a strong ETag and answers 304 until the list changes', async () => {
      const agent = freshAgent();
      const projection = projectionOf(uniqueSessionId(), { userId: ME, agentId: agent });
      await insertViews(app, projection);
      const first = await get(`/sessions/?agent_id=${agent}`);
      const tag = first.headers.etag as string;
      expect(tag).toMatch(/^"[^"]+"$/);
      expect(first.headers['cache-control']).toBe('private, no-cache');
      const unchanged = await get(`/sessions/?agent_id=${agent}`, { 'x-user-id': ME, 'if-none-match': tag });
      expect(unchanged.statusCode).toBe(304);
      expect(unchanged.body).toBe('');
      await updateViews(app, { previous: projection, next: renamed(projection, 'changed') });
      const changed = await get(`/sessions/?agent_id=${agent}`, { 'x-user-id': ME, 'if-none-match': tag });
      expect(changed.statusCode).toBe(200);
      expect(changed.headers.etag).not.toBe(tag);
    });

    it('tags the page by its views versions, not its bytes: a new version retags an equal body', async () => {
      const agent = freshAgent();
      const projection = projectionOf(uniqueSessionId(), { userId: ME, agentId: agent });
      await insertViews(app, projection, projectionOf(uniqueSessionId(), { userId: ME, agentId: agent }));
      const first = await get(`/sessions/?agent_id=${agent}`);
      const again = await get(`/sessions/?agent_id=${agent}`);
      expect(again.headers.etag).toBe(first.headers.etag);
      // The same view under the next version: the body is byte for byte what it was, the page is not.
      await updateViews(app, {
        previous: projection,
        next: { ...projection, version: projection.version + 1 },
      });
      const bumped = await get(`/sessions/?agent_id=${agent}`, {
        'x-user-id': ME,
        'if-none-match': first.headers.etag as string,
      });
      expect(bumped.statusCode).toBe(200);
      expect(bumped.body).toBe(first.body);
      expect(bumped.headers.etag).not.toBe(first.headers.etag);
      // The tag names the query too: another page of the same views is another tag.
      expect((await get(`/sessions/?agent_id=${agent}&view=summary`)).headers.etag).not.toBe(
        bumped.headers.etag,
      );
    });

    it('reads the active generation on every request, so a switch is seen at once', async () => {
      const agent = freshAgent();
      const before = projectionOf(uniqueSessionId('before'), { userId: ME, agentId: agent });
      await insertViews(app, before);
      const generations = app.get(ViewGenerations);
      const rebuilt = await generations.create();
      const after = projectionOf(uniqueSessionId('after'), { userId: ME, agentId: agent });
      await generations.store(rebuilt).writeMany([{ projection: after, expectedVersion: null }]);
      const previous = await generations.activate(rebuilt);
      try {
        const ids = (await get(`/sessions/?agent_id=${agent}`))
          .json()
          .sessions.map((view: { session: { id: string } }) => view.session.id);
        expect(ids).toEqual([after.session_id]);
      } finally {
        await generations.activate(previous);
      }
    });
  });

  describe('bad input gets a 4xx naming the parameter, never a 5xx', () => {
    const missing = (loc: string[]) => ({ type: 'missing', loc, msg: 'Field required', input: null });

    it('answers a missing agent_id with the seed framework’s exact body', async () => {
      const response = await get('/sessions/');
      expect(response.statusCode).toBe(422);
      expect(response.body).toBe(
        '{"detail":[{"type":"missing","loc":["query","agent_id"],"msg":"Field required","input":null}]}',
      );
    });

    it('answers a missing x-user-id header with loc ["header","x-user-id"]', async () => {
      const response = await get('/sessions/?agent_id=a', {});
      expect(response.statusCode).toBe(422);
      expect(response.json()).toEqual({ detail: [missing(['header', 'x-user-id'])] });
    });

    it.each([
      ['agent_id=a&limit=abc', ['query', 'limit'], 'int_parsing'],
      ['agent_id=a&limit=-5', ['query', 'limit'], 'greater_than_equal'],
      ['agent_id=a&limit=201', ['query', 'limit'], 'less_than_equal'],
      ['agent_id=a&offset=-1', ['query', 'offset'], 'greater_than_equal'],
      ['agent_id=a&offset=1e3', ['query', 'offset'], 'int_parsing'],
      ['agent_id=a&status=sleeping', ['query', 'status'], 'enum'],
      ['agent_id=a&source=email', ['query', 'source'], 'enum'],
      ['agent_id=a&view=everything', ['query', 'view'], 'enum'],
      ['agent_id=a&is_running=perhaps', ['query', 'is_running'], 'bool_parsing'],
      ['agent_id=a&updated_after=last-week', ['query', 'updated_after'], 'datetime_parsing'],
      ['agent_id=a&updated_after=2025-01-01T00:00:00', ['query', 'updated_after'], 'timezone_aware'],
      ['agent_id=a&team_id=', ['query', 'team_id'], 'string_too_short'],
      ['agent_id=a&order=oldest', ['query', 'order'], 'enum'],
      ['agent_id=a&cursor=not-a-cursor', ['query', 'cursor'], 'value_error'],
      [
        'agent_id=a&cursor=' + Buffer.from('["yesterday","x"]').toString('base64url'),
        ['query', 'cursor'],
        'value_error',
      ],
      [
        'agent_id=a&cursor=' + Buffer.from('["updated","2025-01-01T00:00:00Z","x"]').toString('base64url'),
        ['query', 'cursor'],
        'value_error',
      ],
      ['agent_id[$ne]=x', ['query', 'agent_id'], 'missing'],
      ['agent_id[]=x', ['query', 'agent_id'], 'missing'],
      ['agent_id=a&agent_id=b', ['query', 'agent_id'], 'string_type'],
      ['agent_id=a&limit=1&limit=2', ['query', 'limit'], 'int_type'],
    ])('%s -> 422 %s', async (query, loc, type) => {
      const response = await get(`/sessions/?${query}`);
      expect(response.statusCode).toBe(422);
      expect(response.json().detail).toEqual([expect.objectContaining({ type, loc })]);
    });

    it('treats operator-shaped values as plain strings', async () => {
      const response = await get('/sessions/?agent_id=%7B%22%24ne%22%3Anull%7D');
      expect(response.json()).toEqual({ sessions: [], total: 0 });
      const header = await get('/sessions/?agent_id=a', { 'x-user-id': '{"$ne":null}' });
      expect(header.json()).toEqual({ sessions: [], total: 0 });
    });

    it('refuses an overlong session id', async () => {
      const path = await get(`/sessions/${'s'.repeat(1000)}`);
      expect(path.statusCode).toBe(422);
      expect(path.json().detail).toEqual([
        expect.objectContaining({ type: 'string_too_long', loc: ['path', 'session_id'] }),
      ]);
    });
  });

  describe('GET /sessions/:session_id', () => {
    let mine: SessionProjection;
    let theirs: SessionProjection;
    let deleted: SessionProjection;

    beforeAll(async () => {
      const agent = freshAgent();
      mine = realisticProjection(uniqueSessionId('mine'), ME, agent);
      theirs = projectionOf(uniqueSessionId('theirs'), { userId: OTHER, agentId: agent });
      deleted = projectionOf(uniqueSessionId('gone'), { userId: ME, agentId: agent, deleted: true });
      await insertViews(app, mine, theirs, deleted);
    });

    it("answers the caller's session as its SessionView, with an ETag", async () => {
      const response = await get(`/sessions/${mine.session_id}`);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(response.json()).toEqual(mine.view);
      const revalidated = await get(`/sessions/${mine.session_id}`, {
        'x-user-id': ME,
        'if-none-match': response.headers.etag as string,
      });
      expect(revalidated.statusCode).toBe(304);
    });

    it("answers another user's, a deleted and a missing session with the same 404", async () => {
      for (const id of [theirs.session_id, deleted.session_id, 'no-such-session']) {
        const response = await get(`/sessions/${id}`);
        expect(response.statusCode).toBe(404);
        expect(response.body).toBe('{"detail":"Session not found"}');
      }
    });
  });

  describe('GET /sessions/changes', () => {
    const base = () => `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    const streams: SseStream[] = [];

    afterEach(async () => {
      streams.splice(0).forEach((stream) => stream.close());
      await waitUntil(() => feed.open === 0);
    });

    async function subscribe(agent: string, headers: Record<string, string> = {}): Promise<SseStream> {
      const response = await openSse(`${base()}/sessions/changes?agent_id=${agent}`, {
        'x-user-id': ME,
        ...headers,
      });
      if (response.kind !== 'stream')
        throw new Error(`expected a stream, got ${response.status} ${JSON.stringify(response.body)}`);
      streams.push(response.stream);
      await response.stream.next((message) => message.comment === 'subscribed');
      return response.stream;
    }

    it("delivers the caller's changes made after subscribing, and nobody else's", async () => {
      const agent = freshAgent();
      const stream = await subscribe(agent);
      const theirs = projectionOf(uniqueSessionId('theirs'), { userId: OTHER, agentId: agent });
      const mineElsewhere = projectionOf(uniqueSessionId('elsewhere'), { userId: ME, agentId: freshAgent() });
      const mine = projectionOf(uniqueSessionId('mine'), { userId: ME, agentId: agent });
      await feed.publish([viewChangeOf(theirs), viewChangeOf(mineElsewhere)]);
      await feed.publish([viewChangeOf(mine)]);

      const event = await stream.nextEvent('session.updated');
      expect(JSON.parse(event.data!)).toEqual({
        session_id: mine.session_id,
        version: mine.version,
        view: mine.view,
      });
      expect(event.id).toMatch(/\S/);
      const leaked = stream.drain().filter((message) => message.event !== undefined);
      expect(leaked).toEqual([]);
    });

    it('announces a deletion without the view', async () => {
      const agent = freshAgent();
      const stream = await subscribe(agent);
      const gone = projectionOf(uniqueSessionId('gone'), { userId: ME, agentId: agent, deleted: true });
      await feed.publish([viewChangeOf(gone)]);
      const event = await stream.nextEvent('session.deleted');
      expect(JSON.parse(event.data!)).toEqual({ session_id: gone.session_id, version: gone.version });
    });

    it('resumes after Last-Event-ID with the changes made while disconnected', async () => {
      const agent = freshAgent();
      const first = projectionOf(uniqueSessionId('first'), { userId: ME, agentId: agent });
      const stream = await subscribe(agent);
      await feed.publish([viewChangeOf(first)]);
      const seen = await stream.nextEvent('session.updated');
      stream.close();

      const second = projectionOf(uniqueSessionId('second'), { userId: ME, agentId: agent });
      const third = renamed(first, 'while away');
      await feed.publish([viewChangeOf(second)]);
      await feed.publish([viewChangeOf(third)]);

      const resumed = await subscribe(agent, { 'last-event-id': seen.id! });
      const replayed = [
        await resumed.nextEvent('session.updated'),
        await resumed.nextEvent('session.updated'),
      ];
      expect(replayed.map((event) => JSON.parse(event.data!).session_id)).toEqual([
        second.session_id,
        first.session_id,
      ]);
      expect(JSON.parse(replayed[1].data!).version).toBe(third.version);
    });

    it('sends heartbeats while quiet', async () => {
      const stream = await subscribe(freshAgent());
      await expect(stream.next((message) => message.comment === 'heartbeat')).resolves.toEqual({
        comment: 'heartbeat',
      });
    });

    it('releases its feed subscription when the client disconnects', async () => {
      const stream = await subscribe(freshAgent());
      expect(feed.open).toBe(1);
      stream.close();
      await waitUntil(() => feed.open === 0);
    });

    it('refuses a Last-Event-ID the feed never handed out, and a request without identity, before streaming', async () => {
      const badPosition = await openSse(`${base()}/sessions/changes?agent_id=a`, {
        'x-user-id': ME,
        'last-event-id': 'not-a-position',
      });
      expect(badPosition.status).toBe(422);
      expect(badPosition.kind === 'refused' && badPosition.body).toEqual({
        detail: [
          expect.objectContaining({
            type: 'value_error',
            loc: ['header', 'last-event-id'],
            input: 'not-a-position',
          }),
        ],
      });
      const anonymous = await openSse(`${base()}/sessions/changes?agent_id=a`);
      expect(anonymous.status).toBe(422);
      const noAgent = await openSse(`${base()}/sessions/changes`, { 'x-user-id': ME });
      expect(noAgent.kind === 'refused' && noAgent.body).toEqual({
        detail: [{ type: 'missing', loc: ['query', 'agent_id'], msg: 'Field required', input: null }],
      });
    });
  });

  describe('OpenAPI', () => {
    it('serves /openapi.json with the list endpoint as the seed documents it', async () => {
      const document = (await get('/openapi.json')).json();
      const list = document.paths['/sessions/'].get;
      const parameters = list.parameters.map((parameter: { name: string; in: string; required: boolean }) => [
        parameter.in,
        parameter.name,
        parameter.required,
      ]);
      expect(parameters).toEqual(
        expect.arrayContaining([
          ['query', 'agent_id', true],
          ['header', 'x-user-id', true],
          ['query', 'limit', false],
        ]),
      );
      const body = list.responses['200'].content['application/json'].schema;
      expect(body.required).toEqual(['sessions', 'total']);
      expect(body.properties.sessions.items).toEqual({ $ref: '#/components/schemas/SessionView' });
      expect(body.properties.total.type).toBe('integer');
      expect(list.responses['422']).toBeDefined();
    });

    it("describes SessionView key for key as the seed's example, every key required", async () => {
      const document = (await get('/openapi.json')).json();
      const schemas = document.components.schemas as Record<string, OpenApiSchema>;
      const problems: string[] = [];
      const example = exampleOf({ $ref: '#/components/schemas/SessionView' }, schemas, '', problems);
      expect(problems).toEqual([]);
      expect(jsonShapeDifferences(example, SEED_SESSION_VIEW, { extraKeys: SEED_EXTRA_KEYS })).toEqual([]);
    });
  });
});

interface OpenApiSchema {
  $ref?: string;
  allOf?: OpenApiSchema[];
  anyOf?: OpenApiSchema[];
  type?: string | string[];
  enum?: unknown[];
  items?: OpenApiSchema;
  properties?: Record<string, OpenApiSchema>;
  required?: string[];
}

/** A JSON value with the shape a schema describes, noting any object schema whose keys are not all required. */
function exampleOf(
  schema: OpenApiSchema,
  schemas: Record<string, OpenApiSchema>,
  path: string,
  problems: string[],
): unknown {
  if (schema.$ref) return exampleOf(schemas[schema.$ref.split('/').pop()!], schemas, path, problems);
  if (schema.allOf) return exampleOf(schema.allOf[0], schemas, path, problems);
  // A nullable value (OpenAPI 3.1: `null` among the types) is shown by its non-null form.
  if (schema.anyOf) return exampleOf(schema.anyOf[0], schemas, path, problems);
  if (Array.isArray(schema.type))
    return exampleOf(
      { ...schema, type: schema.type.find((type) => type !== 'null') },
      schemas,
      path,
      problems,
    );
  if (schema.enum) return schema.enum[0];
  switch (schema.type) {
    case 'string':
      return '';
    case 'integer':
    case 'number':
      return 0;
    case 'boolean':
      return false;
    case 'array':
      return [exampleOf(schema.items!, schemas, `${path}[]`, problems)];
    case 'object':
    case undefined: {
      const keys = Object.keys(schema.properties ?? {});
      const optional = keys.filter((key) => !(schema.required ?? []).includes(key));
      if (optional.length > 0) problems.push(`${path || '(root)'}: not required: ${optional.join(', ')}`);
      return Object.fromEntries(
        keys.map((key) => [
          key,
          exampleOf(schema.properties![key], schemas, path ? `${path}.${key}` : key, problems),
        ]),
      );
    }
    default:
      throw new Error(`unexpected schema type ${schema.type} at ${path}`);
  }
}

function nextLink(link: string | undefined): string | undefined {
  return link === undefined ? undefined : /^<([^>]+)>; rel="next"$/.exec(link)?.[1];
}

async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}
