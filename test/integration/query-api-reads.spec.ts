import { SessionProjection } from '@app/domain';
import { projectionOf, renamed, uniqueSessionId } from '../contracts/contract-support';
import { realisticProjection } from '../factories/session-events';
import seedSessionList from '../fixtures/seed-session-list.json';
import { mongoTargets } from '../support/infra';
import { jsonShapeDifferences } from '../support/json-shape';
import { RunningQueryApi, startQueryApi } from '../support/query-api';
import { insertViews, updateViews } from '../support/read-side';
import { SEED_EXTRA_KEYS, SEED_NULLABLE_PATHS } from '../support/seed-view-shape';

const ME = 'user-me';
const OTHER = 'user-other';

interface ListBody {
  sessions: { session: { id: string; user_id: string } }[];
  total: number;
}

describe.each(mongoTargets())('query API reads on Kafka and $name', (target) => {
  let api: RunningQueryApi;

  beforeAll(async () => {
    api = await startQueryApi(target);
  });
  afterAll(() => api.stop());

  const get = (url: string, headers: Record<string, string> = { 'x-user-id': ME }) =>
    api.app.inject({ method: 'GET', url, headers });
  const list = async (query: string, userId = ME): Promise<ListBody> => {
    const response = await get(`/sessions/?${query}`, { 'x-user-id': userId });
    expect(response.statusCode).toBe(200);
    return response.json();
  };
  const freshAgent = () => uniqueSessionId('agent');

  it("answers the seed's list document: every key and JSON type at every level", async () => {
    const agent = freshAgent();
    await insertViews(api.app, realisticProjection(uniqueSessionId(), ME, agent));
    const body = (await get(`/sessions/?agent_id=${agent}`)).json();
    expect(
      jsonShapeDifferences(body, seedSessionList, {
        nullable: SEED_NULLABLE_PATHS.map((path) => `sessions[].${path}`),
        extraKeys: SEED_EXTRA_KEYS.map((key) => `sessions[].${key}`),
      }),
    ).toEqual([]);
  });

  it("never answers with another user's sessions, listed or fetched one by one", async () => {
    const agent = freshAgent();
    const mine = projectionOf(uniqueSessionId('mine'), { userId: ME, agentId: agent, updatedAt: 1 });
    const theirs = projectionOf(uniqueSessionId('theirs'), { userId: OTHER, agentId: agent, updatedAt: 2 });
    await insertViews(api.app, mine, theirs);

    const mineListed = await list(`agent_id=${agent}`);
    expect(mineListed.sessions.map((view) => view.session.id)).toEqual([mine.session_id]);
    expect(mineListed.total).toBe(1);
    expect((await list(`agent_id=${agent}`, OTHER)).sessions.map((view) => view.session.id)).toEqual([
      theirs.session_id,
    ]);

    const fetchTheirs = await get(`/sessions/${theirs.session_id}`);
    expect(fetchTheirs.statusCode).toBe(404);
    expect(fetchTheirs.json()).toEqual({ detail: 'Session not found' });
    expect((await get(`/sessions/${mine.session_id}`)).json()).toEqual(mine.view);
  });

  it('leaves deleted sessions out of the list and answers them 404', async () => {
    const agent = freshAgent();
    const gone = projectionOf(uniqueSessionId('gone'), { userId: ME, agentId: agent, deleted: true });
    await insertViews(api.app, gone);
    expect(await list(`agent_id=${agent}`)).toEqual({ sessions: [], total: 0 });
    expect((await get(`/sessions/${gone.session_id}`)).statusCode).toBe(404);
  });

  it('pages by cursor with no duplicate and no unchanged session missed while views are being written', async () => {
    const agent = freshAgent();
    const sessions = Array.from({ length: 30 }, (_, index) =>
      projectionOf(`${agent}-p${String(index).padStart(2, '0')}`, {
        userId: ME,
        agentId: agent,
        updatedAt: index,
      }),
    );
    await insertViews(api.app, ...sessions);

    // Writes run alongside the paging: older sessions move to the front, new ones appear.
    const touched = new Set<string>();
    let writing = true;
    const writer = (async () => {
      for (let round = 0; writing && round < sessions.length; round += 1) {
        const victim: SessionProjection = sessions[round];
        touched.add(victim.session_id);
        await updateViews(api.app, {
          previous: victim,
          next: renamed(victim, `moved ${round}`, '2031-01-01T00:00:00Z'),
        });
        await insertViews(
          api.app,
          projectionOf(`${agent}-n${round}`, {
            userId: ME,
            agentId: agent,
            updatedAt: '2031-01-02T00:00:00Z',
          }),
        );
      }
    })();

    const seen: string[] = [];
    let url: string | undefined = `/sessions/?agent_id=${agent}&limit=4`;
    for (let pages = 0; url !== undefined; pages += 1) {
      expect(pages).toBeLessThan(sessions.length * 2);
      const response = await get(url);
      expect(response.statusCode).toBe(200);
      seen.push(...(response.json() as ListBody).sessions.map((view) => view.session.id));
      const link = response.headers.link as string | undefined;
      url = link === undefined ? undefined : /^<([^>]+)>; rel="next"$/.exec(link)![1];
    }
    writing = false;
    await writer;

    expect(new Set(seen).size).toBe(seen.length);
    const unchanged = sessions.map((projection) => projection.session_id).filter((id) => !touched.has(id));
    expect(seen.filter((id) => unchanged.includes(id)).sort()).toEqual(unchanged.sort());
  });

  it('revalidates with a strong ETag: 304 while unchanged, 200 with a new tag after a write', async () => {
    const agent = freshAgent();
    const projection = projectionOf(uniqueSessionId(), { userId: ME, agentId: agent });
    await insertViews(api.app, projection);
    for (const url of [`/sessions/?agent_id=${agent}`, `/sessions/${projection.session_id}`]) {
      const first = await get(url);
      const tag = first.headers.etag as string;
      expect((await get(url, { 'x-user-id': ME, 'if-none-match': tag })).statusCode).toBe(304);
    }
    const listTag = (await get(`/sessions/?agent_id=${agent}`)).headers.etag as string;
    await updateViews(api.app, { previous: projection, next: renamed(projection, 'renamed') });
    const after = await get(`/sessions/?agent_id=${agent}`, { 'x-user-id': ME, 'if-none-match': listTag });
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(listTag);
  });

  it('filters and counts on the server: total is every match, not the page', async () => {
    const agent = freshAgent();
    const running = projectionOf(uniqueSessionId('running'), {
      userId: ME,
      agentId: agent,
      run: 'running',
      updatedAt: 3,
    });
    const idle = ['a', 'b', 'c'].map((label, index) =>
      projectionOf(uniqueSessionId(label), {
        userId: ME,
        agentId: agent,
        run: 'completed',
        updatedAt: index,
      }),
    );
    await insertViews(api.app, running, ...idle);
    const page = await list(`agent_id=${agent}&is_running=false&status=idle&limit=2`);
    expect(page.total).toBe(3);
    expect(page.sessions).toHaveLength(2);
    expect((await list(`agent_id=${agent}&is_running=true`)).sessions.map((view) => view.session.id)).toEqual(
      [running.session_id],
    );
  });
});
