import { ChangeFeed } from '@app/ports';
import { projectionOf, renamed, uniqueSessionId, viewChangeOf } from '../contracts/contract-support';
import { mongoTargets } from '../support/infra';
import { RunningQueryApi, startQueryApi } from '../support/query-api';
import { openSse, SseStream } from '../support/sse-client';

const ME = 'user-me';
const OTHER = 'user-other';

describe.each(mongoTargets())('query API change feed on Kafka (views on $name)', (target) => {
  let api: RunningQueryApi;
  let feed: ChangeFeed;
  const streams: SseStream[] = [];

  beforeAll(async () => {
    api = await startQueryApi(target);
    feed = api.app.get(ChangeFeed);
  });
  afterEach(() => streams.splice(0).forEach((stream) => stream.close()));
  afterAll(() => api.stop());

  /** Resolves once the server says its feed subscription is in place, so later changes must arrive. */
  async function subscribe(
    agent: string,
    userId = ME,
    headers: Record<string, string> = {},
  ): Promise<SseStream> {
    const response = await openSse(`${api.baseUrl}/sessions/changes?agent_id=${agent}`, {
      'x-user-id': userId,
      ...headers,
    });
    if (response.kind !== 'stream')
      throw new Error(`expected a stream, got ${response.status}: ${JSON.stringify(response.body)}`);
    streams.push(response.stream);
    await response.stream.next((message) => message.comment === 'subscribed');
    return response.stream;
  }

  /** Which session an event is about, and at which version. */
  const eventData = (data: string | undefined) => {
    const { session_id, version } = JSON.parse(data!) as { session_id: string; version: number };
    return { session_id, version };
  };

  it('delivers a change made after subscribing, and never one of another user', async () => {
    const agent = uniqueSessionId('agent');
    const mine = await subscribe(agent);
    const theirsStream = await subscribe(agent, OTHER);
    const theirs = projectionOf(uniqueSessionId('theirs'), { userId: OTHER, agentId: agent });
    const own = projectionOf(uniqueSessionId('own'), { userId: ME, agentId: agent });
    await feed.publish([viewChangeOf(theirs)]);
    await feed.publish([viewChangeOf(own)]);

    const delivered = await mine.nextEvent('session.updated');
    expect(JSON.parse(delivered.data!)).toEqual({
      session_id: own.session_id,
      version: own.version,
      view: own.view,
    });
    const theirsDelivered = await theirsStream.nextEvent('session.updated');
    expect(eventData(theirsDelivered.data).session_id).toBe(theirs.session_id);
    // Mine saw theirs pass by before its own change, if at all: nothing of theirs may be queued on my stream.
    expect(mine.drain().filter((message) => message.event !== undefined)).toEqual([]);
  });

  it('resumes after Last-Event-ID with what changed while the client was away', async () => {
    const agent = uniqueSessionId('agent');
    const first = projectionOf(uniqueSessionId('first'), { userId: ME, agentId: agent });
    const stream = await subscribe(agent);
    await feed.publish([viewChangeOf(first)]);
    const seen = await stream.nextEvent('session.updated');
    expect(eventData(seen.data).session_id).toBe(first.session_id);
    stream.close();

    const second = projectionOf(uniqueSessionId('second'), { userId: ME, agentId: agent });
    const firstAgain = renamed(first, 'changed while away');
    const gone = projectionOf(uniqueSessionId('gone'), { userId: ME, agentId: agent, deleted: true });
    await feed.publish([viewChangeOf(second)]);
    await feed.publish([viewChangeOf(firstAgain), viewChangeOf(gone)]);

    const resumed = await subscribe(agent, ME, { 'last-event-id': seen.id! });
    // Sessions live on different partitions, so only each session's own changes keep their order.
    const replayed = await resumed.nextEvents(3);
    const summary = replayed.map((event) => ({ type: event.event, ...eventData(event.data) }));
    expect(summary).toEqual(
      expect.arrayContaining([
        { type: 'session.updated', session_id: second.session_id, version: second.version },
        { type: 'session.updated', session_id: first.session_id, version: firstAgain.version },
        { type: 'session.deleted', session_id: gone.session_id, version: gone.version },
      ]),
    );
  });

  it('refuses a Last-Event-ID that is not a position of the feed with a 422 before streaming', async () => {
    const response = await openSse(`${api.baseUrl}/sessions/changes?agent_id=a`, {
      'x-user-id': ME,
      'last-event-id': 'not-a-position',
    });
    expect(response.status).toBe(422);
    expect(response.kind === 'refused' && response.body).toEqual({
      detail: [expect.objectContaining({ type: 'value_error', loc: ['header', 'last-event-id'] })],
    });
  });
});
