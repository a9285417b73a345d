import { createHmac } from 'node:crypto';
import { projectionOf, uniqueSessionId } from '../contracts/contract-support';
import { mongoTargets } from '../support/infra';
import { RunningQueryApi, startQueryApi } from '../support/query-api';
import { insertViews } from '../support/read-side';

const ME = 'user-me';
const OTHER = 'user-other';
const JWT_SECRET = 'an-integration-test-secret-of-32-chars!';

/** Inputs a client may get wrong, or an attacker may try: each must be a 4xx with a body saying what is wrong. */
const BAD_QUERIES = [
  '',
  'agent_id=a&limit=ten',
  'agent_id=a&limit=-1',
  'agent_id=a&limit=0',
  'agent_id=a&limit=201',
  'agent_id=a&limit=1e2',
  'agent_id=a&limit=99999999999999999999999',
  'agent_id=a&offset=-3',
  'agent_id=a&offset=10001',
  'agent_id=a&status=zombie',
  'agent_id=a&source=%00',
  'agent_id=a&view=raw',
  'agent_id=a&is_running=sometimes',
  'agent_id=a&updated_after=2025-13-45T99:99:99Z',
  'agent_id=a&updated_after=now',
  'agent_id=a&cursor=%7B%7D',
  'agent_id=a&cursor=W10',
  'agent_id[$ne]=x',
  'agent_id[$regex]=.*',
  'agent_id[$gt]=',
  'agent_id[]=a&agent_id[]=b',
  'agent_id=a&agent_id=b',
  'agent_id=a&limit=1&limit=2',
  'agent_id=a&status[$ne]=idle&status=x',
  'agent_id=a&team_id[$exists]=true&team_id=',
];

describe.each(mongoTargets())('query API refusing bad input on $name', (target) => {
  describe('with AUTH_MODE=header', () => {
    let api: RunningQueryApi;
    let agent: string;

    beforeAll(async () => {
      api = await startQueryApi(target);
      agent = uniqueSessionId('agent');
      await insertViews(api.app, projectionOf(uniqueSessionId('theirs'), { userId: OTHER, agentId: agent }));
    });
    afterAll(() => api.stop());

    const get = (url: string, headers: Record<string, string> = { 'x-user-id': ME }) =>
      api.app.inject({ method: 'GET', url, headers });

    it.each(BAD_QUERIES)('GET /sessions/?%s -> 422 with FastAPI issues', async (query) => {
      const response = await get(`/sessions/?${query}`);
      expect(response.statusCode).toBe(422);
      const { detail } = response.json();
      expect(detail.length).toBeGreaterThan(0);
      for (const issue of detail) {
        expect(issue).toEqual(expect.objectContaining({ type: expect.any(String), msg: expect.any(String) }));
        expect(issue.loc[0]).toBe('query');
      }
    });

    it.each([
      ['a JSON operator as the agent id', `agent_id=${encodeURIComponent('{"$ne":null}')}`],
      ['a regex-looking agent id', 'agent_id=.*'],
      ['an agent id with a dollar', 'agent_id=$where'],
    ])("treats %s as a plain string: another user's session never matches", async (_case, query) => {
      const response = await get(`/sessions/?${query}`);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ sessions: [], total: 0 });
    });

    it("never lets an operator-shaped identity reach another user's sessions", async () => {
      for (const userId of ['{"$ne":""}', '{"$gt":""}', OTHER.toUpperCase()]) {
        const response = await get(`/sessions/?agent_id=${agent}`, { 'x-user-id': userId });
        expect(response.statusCode).toBe(200);
        expect(response.json()).toEqual({ sessions: [], total: 0 });
      }
    });

    it.each([
      ['an overlong session id', `/sessions/${'s'.repeat(1000)}`, { 'x-user-id': ME }, 422],
      [
        'a session id longer than the router matches',
        `/sessions/${'s'.repeat(3000)}`,
        { 'x-user-id': ME },
        414,
      ],
      [
        'an operator-shaped session id',
        `/sessions/${encodeURIComponent('{"$ne":null}')}`,
        { 'x-user-id': ME },
        404,
      ],
      ['a missing identity', '/sessions/some-id', {}, 422],
    ])('answers %s with a 4xx', async (_case, url, headers, status) => {
      const response = await get(url, headers);
      expect(response.statusCode).toBe(status);
      expect(response.json()).toHaveProperty('detail');
    });
  });

  describe('with AUTH_MODE=jwt', () => {
    let api: RunningQueryApi;
    let agent: string;
    let mineId: string;

    beforeAll(async () => {
      api = await startQueryApi(target, { AUTH_MODE: 'jwt', JWT_SECRET, JWT_AUDIENCE: 'session-store' });
      agent = uniqueSessionId('agent');
      mineId = uniqueSessionId('mine');
      await insertViews(
        api.app,
        projectionOf(mineId, { userId: ME, agentId: agent }),
        projectionOf(uniqueSessionId('theirs'), { userId: OTHER, agentId: agent }),
      );
    });
    afterAll(() => api.stop());

    const get = (url: string, headers: Record<string, string>) =>
      api.app.inject({ method: 'GET', url, headers });
    const hs256 = (payload: object, secret = JWT_SECRET) => {
      const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
      const input = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(payload)}`;
      return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
    };
    const claims = (overrides: object = {}) => ({
      sub: ME,
      aud: 'session-store',
      exp: Math.floor(Date.now() / 1000) + 300,
      ...overrides,
    });

    it("takes the caller from the token's sub and ignores x-user-id", async () => {
      const response = await get(`/sessions/?agent_id=${agent}`, {
        authorization: `Bearer ${hs256(claims())}`,
        'x-user-id': OTHER,
      });
      expect(response.statusCode).toBe(200);
      expect(response.json().sessions.map((view: { session: { id: string } }) => view.session.id)).toEqual([
        mineId,
      ]);
    });

    it.each([
      ['no token', {}, 'Not authenticated: send Authorization: Bearer <token>'],
      ['a malformed token', { authorization: 'Bearer abc.def' }, 'Invalid token: not a well-formed JWT'],
      [
        'a header without the Bearer scheme',
        { authorization: hs256(claims()) },
        'Invalid token: expected Authorization: Bearer <JWT>',
      ],
      [
        'a badly signed token',
        { authorization: `Bearer ${hs256(claims(), 'a-different-secret-of-32-characters!!')}` },
        'Invalid token: signature verification failed',
      ],
      [
        'an expired token',
        { authorization: `Bearer ${hs256(claims({ exp: 1_000_000 }))}` },
        'Invalid token: expired',
      ],
      ['only x-user-id', { 'x-user-id': ME }, 'Not authenticated: send Authorization: Bearer <token>'],
    ])('answers %s with 401 and a clear detail', async (_case, headers, detail) => {
      for (const url of [
        `/sessions/?agent_id=${agent}`,
        `/sessions/${mineId}`,
        `/sessions/changes?agent_id=${agent}`,
      ]) {
        const response = await get(url, headers as Record<string, string>);
        expect(response.statusCode).toBe(401);
        expect(response.json()).toEqual({ detail });
        expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
      }
    });
  });
});
