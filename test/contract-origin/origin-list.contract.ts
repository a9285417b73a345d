import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { followedBy, projectionOf, uniqueSessionId } from '../contracts/contract-support';
import { timestampAt } from '../factories/session-events';
import { insertViews, updateViews } from '../support/read-side';
import { sendRaw } from './raw-http';

// The origin service's list endpoint, as FastAPI + pydantic v2 answer it (`agent_id: str = Query(...)`, the caller
// from a dependency `x_user_id: str = Header(...)` that raises 401 when it is blank, `response_model` the list
// response). Every expectation here is what that service answers to the same request, checked against it with
// scripts/origin-twin; a difference the project keeps on purpose is in the README's contract table instead.

export interface OriginContractTarget {
  app: NestFastifyApplication;
  /** The port the app listens on (127.0.0.1), for requests a client library will not send. */
  port: number;
  /** The bearer token POST /sessions/events takes. */
  ingestToken: string;
}

const ME = 'user-origin';
const NOT_FOUND = { detail: 'Not Found' };
const METHOD_NOT_ALLOWED = { detail: 'Method Not Allowed' };
const MISSING_HEADER = { type: 'missing', loc: ['header', 'x-user-id'], msg: 'Field required', input: null };
const MISSING_AGENT = { type: 'missing', loc: ['query', 'agent_id'], msg: 'Field required', input: null };
const BLANK_IDENTITY = { detail: 'X-User-ID header is required.' };

export function describeOriginListContract(
  start: () => Promise<OriginContractTarget>,
  stop: () => Promise<void>,
): void {
  let target: OriginContractTarget;

  beforeAll(async () => {
    target = await start();
  });
  afterAll(() => stop());

  const get = (url: string, headers: Record<string, string> = {}) =>
    target.app.inject({ method: 'GET', url, headers });
  const raw = (request: string) => sendRaw(target.port, request);

  /** Sessions of a fresh agent, each created at the given second after the factories' start. */
  async function sessionsCreatedAt(userId: string, ...seconds: number[]) {
    const agent = uniqueSessionId('agent');
    const projections = seconds.map((second, index) =>
      projectionOf(`${agent}-s${index}`, { userId, agentId: agent, updatedAt: second }),
    );
    await insertViews(target.app, ...projections);
    return { agent, projections };
  }

  describe('1. identity', () => {
    it('answers a missing x-user-id with 422 naming the header', async () => {
      const response = await get('/sessions/?agent_id=a');
      expect(response.statusCode).toBe(422);
      expect(response.json()).toEqual({ detail: [MISSING_HEADER] });
    });

    it.each([
      ['empty', ''],
      ['whitespace-only', '   '],
      ['tab-only', '\t'],
    ])('answers an %s x-user-id with 401 and the dependency’s detail', async (_case, value) => {
      const response = await raw(
        `GET /sessions/?agent_id=a HTTP/1.1\r\nHost: x\r\nx-user-id: ${value}\r\nConnection: close\r\n\r\n`,
      );
      expect(response.status).toBe(401);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(JSON.parse(response.body)).toEqual(BLANK_IDENTITY);
    });

    it('answers a blank x-user-id with 401 even when agent_id is missing too: the dependency raises first', async () => {
      const response = await get('/sessions/', { 'x-user-id': ' ' });
      expect([response.statusCode, response.json()]).toEqual([401, BLANK_IDENTITY]);
    });

    it('takes the first of several x-user-id headers as the caller', async () => {
      const { agent, projections } = await sessionsCreatedAt(ME, 1);
      const response = await raw(
        `GET /sessions/?agent_id=${agent} HTTP/1.1\r\nHost: x\r\nx-user-id: ${ME}\r\nx-user-id: someone-else\r\nConnection: close\r\n\r\n`,
      );
      expect(response.status).toBe(200);
      expect(JSON.parse(response.body)).toEqual({ sessions: [projections[0].view], total: 1 });
    });

    it('takes an x-user-id of kilobytes as an identity like any other (no session of it exists)', async () => {
      const response = await get('/sessions/?agent_id=a', { 'x-user-id': 'u'.repeat(8 * 1024) });
      expect([response.statusCode, response.json()]).toEqual([200, { sessions: [], total: 0 }]);
    });

    it('answers headers larger than the server takes with 431 in the detail shape', async () => {
      const response = await raw(
        `GET /sessions/?agent_id=a HTTP/1.1\r\nHost: x\r\nx-user-id: ${'u'.repeat(20 * 1024)}\r\nConnection: close\r\n\r\n`,
      );
      expect(response.status).toBe(431);
      expect(JSON.parse(response.body)).toEqual({ detail: 'Request Header Fields Too Large' });
    });
  });

  describe('2. errors in FastAPI’s order, all at once', () => {
    it('lists the header error, then the query error, when both inputs are missing', async () => {
      const response = await get('/sessions/');
      expect(response.statusCode).toBe(422);
      expect(response.json()).toEqual({ detail: [MISSING_HEADER, MISSING_AGENT] });
    });

    it('answers a missing agent_id with the origin’s exact body', async () => {
      const response = await get('/sessions/', { 'x-user-id': ME });
      expect(response.statusCode).toBe(422);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.json()).toEqual({ detail: [MISSING_AGENT] });
    });

    it('reports the origin’s parameters before the project’s own, every one with its pydantic fields', async () => {
      const response = await get('/sessions/?limit=0&order=sideways&view=raw');
      expect(response.statusCode).toBe(422);
      expect(response.json()).toEqual({
        detail: [
          MISSING_HEADER,
          MISSING_AGENT,
          {
            type: 'enum',
            loc: ['query', 'view'],
            msg: "Input should be 'full' or 'summary'",
            input: 'raw',
            ctx: { expected: "'full' or 'summary'" },
          },
          {
            type: 'greater_than_equal',
            loc: ['query', 'limit'],
            msg: 'Input should be greater than or equal to 1',
            input: '0',
            ctx: { ge: 1 },
          },
          {
            type: 'enum',
            loc: ['query', 'order'],
            msg: "Input should be 'created' or 'updated'",
            input: 'sideways',
            ctx: { expected: "'created' or 'updated'" },
          },
        ],
      });
    });
  });

  describe('3. agent_id is a plain str', () => {
    it.each([
      ['`agent_id=`', '/sessions/?agent_id='],
      ['`agent_id` without `=`', '/sessions/?agent_id'],
    ])('takes %s as the empty string: 200 with the sessions of that agent (none)', async (_case, url) => {
      const response = await get(url, { 'x-user-id': ME });
      expect([response.statusCode, response.json()]).toEqual([200, { sessions: [], total: 0 }]);
    });

    it('takes an agent_id of kilobytes as a string like any other', async () => {
      const response = await get(`/sessions/?agent_id=${'a'.repeat(4096)}`, { 'x-user-id': ME });
      expect([response.statusCode, response.json()]).toEqual([200, { sessions: [], total: 0 }]);
    });
  });

  describe('4. order', () => {
    it('lists newest created_at first by default, ties by ascending id; `order=updated` opts into recently updated first', async () => {
      const { agent, projections } = await sessionsCreatedAt(ME, 10, 30, 20, 30);
      const [first, second, third, fourth] = projections;
      const touched = followedBy(
        first,
        'session.config_updated',
        { config: { name: 'touched' } },
        timestampAt(40),
      );
      await updateViews(target.app, { previous: first, next: touched });
      const ids = async (query: string) =>
        (await get(`/sessions/?agent_id=${agent}${query}`, { 'x-user-id': ME }))
          .json()
          .sessions.map((view: { session: { id: string } }) => view.session.id);
      expect(await ids('')).toEqual([second, fourth, third, first].map((p) => p.session_id));
      expect(await ids('&order=created')).toEqual([second, fourth, third, first].map((p) => p.session_id));
      expect(await ids('&order=updated')).toEqual([first, second, fourth, third].map((p) => p.session_id));
    });
  });

  describe('5. methods and unknown paths', () => {
    it.each(['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const)(
      'answers %s /sessions/ with 405 and Allow: GET',
      async (method) => {
        const response = await target.app.inject({
          method,
          url: '/sessions/?agent_id=a',
          headers: { 'x-user-id': ME },
        });
        expect(response.statusCode).toBe(405);
        expect(response.headers.allow).toBe('GET');
        expect(response.json()).toEqual(METHOD_NOT_ALLOWED);
      },
    );

    it('answers HEAD /sessions/ with 405 and Allow: GET, as FastAPI serves HEAD only where a route declares it', async () => {
      const response = await raw(
        `HEAD /sessions/?agent_id=a HTTP/1.1\r\nHost: x\r\nx-user-id: ${ME}\r\nConnection: close\r\n\r\n`,
      );
      expect(response.status).toBe(405);
      expect(response.headers.allow).toBe('GET');
      expect(response.body).toBe('');
    });

    it('answers a method Fastify parses a body for (QUERY) with 405 too, even without a Content-Type', async () => {
      const response = await raw(
        `QUERY /sessions/?agent_id=a HTTP/1.1\r\nHost: x\r\nx-user-id: ${ME}\r\nConnection: close\r\n\r\n`,
      );
      expect(response.status).toBe(405);
      expect(response.headers.allow).toBe('GET');
      expect(JSON.parse(response.body)).toEqual(METHOD_NOT_ALLOWED);
    });

    it.each(['/nowhere', '/sessions/a/b/c', '/session/'])(
      'answers GET %s with 404 {"detail":"Not Found"}',
      async (url) => {
        const response = await get(url, { 'x-user-id': ME });
        expect([response.statusCode, response.json()]).toEqual([404, NOT_FOUND]);
      },
    );

    it('answers a malformed request with 400 in the detail shape', async () => {
      const response = await raw('GET /sessions/ HTTP/1.1\r\nHost: x\r\nthis is not a header\r\n\r\n');
      expect(response.status).toBe(400);
      expect(JSON.parse(response.body)).toEqual({ detail: 'Bad Request' });
    });

    it('answers a body that is not JSON with 422 json_invalid in the detail shape', async () => {
      const response = await target.app.inject({
        method: 'POST',
        url: '/sessions/events',
        headers: { authorization: `Bearer ${target.ingestToken}`, 'content-type': 'application/json' },
        payload: '{"events": [',
      });
      expect(response.statusCode).toBe(422);
      expect(response.json()).toEqual({
        detail: [
          expect.objectContaining({
            type: 'json_invalid',
            loc: ['body', expect.any(Number)],
            msg: 'JSON decode error',
          }),
        ],
      });
    });

    it('answers a text body where an object belongs as pydantic does', async () => {
      const response = await target.app.inject({
        method: 'POST',
        url: '/sessions/events',
        headers: { authorization: `Bearer ${target.ingestToken}`, 'content-type': 'text/plain' },
        payload: 'hello',
      });
      expect(response.statusCode).toBe(422);
      expect(response.json()).toEqual({
        detail: [
          {
            type: 'model_attributes_type',
            loc: ['body'],
            msg: 'Input should be a valid dictionary or object to extract fields from',
            input: 'hello',
          },
        ],
      });
    });

    it('answers an empty JSON body as a missing body', async () => {
      const response = await target.app.inject({
        method: 'POST',
        url: '/sessions/events',
        headers: { authorization: `Bearer ${target.ingestToken}`, 'content-type': 'application/json' },
        payload: '',
      });
      expect([response.statusCode, response.json()]).toEqual([
        422,
        { detail: [{ type: 'missing', loc: ['body'], msg: 'Field required', input: null }] },
      ]);
    });

    it('answers a body of a media type it does not take with 415 in the detail shape', async () => {
      const response = await target.app.inject({
        method: 'POST',
        url: '/sessions/events',
        headers: { authorization: `Bearer ${target.ingestToken}`, 'content-type': 'application/xml' },
        payload: '<events/>',
      });
      expect(response.statusCode).toBe(415);
      expect(Object.keys(response.json())).toEqual(['detail']);
    });
  });
}
