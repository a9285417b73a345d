import { ListedViewText, SessionListTextPage, ViewStore } from '@app/ports';
import { ActiveViews } from '../active-views';
import { ListSessionsParams } from '../dto/session-params';
import { ListSessionsHandler, ListSessionsQuery } from './list-sessions.query';

const ME = 'user-me';

function listed(sessionId: string, userId: string, deleted = false): ListedViewText {
  return {
    sessionId,
    version: 1,
    userId,
    deleted,
    position: { order: 'created', at: '2026-01-01T00:00:00Z', sessionId },
    viewJson: JSON.stringify({ session: { id: sessionId, user_id: userId } }),
  };
}

/** The generation's store answering one fixed page, as an adapter with a broken owner filter would. */
function handlerOver(page: SessionListTextPage): ListSessionsHandler {
  const store = { listViewTexts: async () => page } as unknown as ViewStore;
  return new ListSessionsHandler({
    current: async () => ({ generation: 'g1', store }),
  } as unknown as ActiveViews);
}

describe(ListSessionsHandler.name, () => {
  it("sends none of another user's or deleted views, whatever the store answers", async () => {
    const handler = handlerOver({
      items: [listed('mine', ME), listed('theirs', 'user-other'), listed('gone', ME, true)],
      total: 1,
    });
    const params = Object.assign(new ListSessionsParams(), { agent_id: 'agent', limit: 50 });
    const page = await handler.execute(new ListSessionsQuery(ME, params));
    expect(JSON.parse(page.body)).toEqual({ sessions: [{ session: { id: 'mine', user_id: ME } }], total: 1 });
  });
});
