import { SessionEvent } from '@app/domain';
import { EventArchive } from '@app/ports';
import { foldIntoStore, groupBySession } from '@app/projection';
import { ViewRebuilder } from '@app/replay';
import { sessionEvents } from '../factories/session-events';
import { mongoTargets } from '../support/infra';
import { RunningQueryApi, startQueryApi } from '../support/query-api';
import { activeStore } from '../support/read-side';

const USER = 'auditor-user';
const AGENT = 'agent-rebuilt';
const SESSIONS = 40;

describe.each(mongoTargets())('the query API through a rebuild on $name', (target) => {
  let api: RunningQueryApi;

  beforeAll(async () => {
    api = await startQueryApi(target);
    const events: SessionEvent[] = [];
    for (let i = 0; i < SESSIONS; i += 1) {
      const builder = sessionEvents(`rebuilt-${String(i).padStart(3, '0')}`, USER, AGENT)
        .created()
        .runStarted();
      if (i % 3 === 0) builder.contextAppended([{}, {}]).runStopped('awaiting_permission');
      events.push(...builder.events);
    }
    await api.app.get(EventArchive).append(events);
    await foldIntoStore(
      await activeStore(api.app),
      groupBySession(events, (event) => event),
    );
  });
  afterAll(() => api.stop());

  it('answers every request correctly, with no error and no empty window, while the views are rebuilt and switched', async () => {
    const list = () =>
      api.app.inject({
        method: 'GET',
        url: `/sessions/?agent_id=${AGENT}&limit=200`,
        headers: { 'x-user-id': USER },
      });
    const before = (await list()).json();
    expect(before.total).toBe(SESSIONS);

    const failures: string[] = [];
    let requests = 0;
    let rebuilding = true;
    const hammer = async () => {
      while (rebuilding) {
        const response = await list();
        requests += 1;
        if (response.statusCode !== 200)
          failures.push(`${response.statusCode} ${response.body.slice(0, 200)}`);
        else if (JSON.stringify(response.json()) !== JSON.stringify(before))
          failures.push('a different body');
      }
    };
    const clients = [hammer(), hammer(), hammer()];

    const result = await api.app.get(ViewRebuilder, { strict: false }).rebuild({ pageSize: 25 });
    rebuilding = false;
    await Promise.all(clients);

    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(3);
    expect(result).toMatchObject({ sessions: SESSIONS });
    expect(result.generation).not.toBe(result.previous);
    expect((await list()).json()).toEqual(before);
  });
});
