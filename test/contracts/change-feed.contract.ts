import {
  ChangeFeed,
  ChangeSubscription,
  isInvalidChangePosition,
  PositionedViewChange,
  SubscribeOptions,
} from '@app/ports';
import { eventually, projectionOf, renamed, uniqueSessionId, viewChangeOf } from './contract-support';

export interface ChangeFeedHarness {
  feed: ChangeFeed;
  /** A position of this feed's form further on than `position`, which the feed has not handed out yet. */
  beyond(position: string): string;
  cleanup(): Promise<void>;
}

/** What one subscriber has received so far. */
interface Listener {
  received: PositionedViewChange[];
  subscription: ChangeSubscription;
}

/**
 * The behaviour every ChangeFeed adapter shares. `makeFeed` runs before each test and must return a feed nothing
 * else publishes to; `cleanup` runs after it (subscriptions a test opened are closed before).
 */
export function changeFeedContract(name: string, makeFeed: () => Promise<ChangeFeedHarness>): void {
  describe(`ChangeFeed contract: ${name}`, () => {
    let harness: ChangeFeedHarness;
    let feed: ChangeFeed;
    let open: ChangeSubscription[];

    beforeEach(async () => {
      harness = await makeFeed();
      feed = harness.feed;
      open = [];
    });
    afterEach(async () => {
      await Promise.all(open.map((subscription) => subscription.close()));
      await harness.cleanup();
    });

    const listen = async (options: SubscribeOptions = {}): Promise<Listener> => {
      const received: PositionedViewChange[] = [];
      const subscription = await feed.subscribe(options, (change) => received.push(change));
      open.push(subscription);
      return { received, subscription };
    };

    const versionsOf = (listener: Listener, sessionId: string) =>
      listener.received.filter((change) => change.session_id === sessionId).map((change) => change.version);

    /** Waits until `listener` holds exactly `count` changes; more would be a duplicate delivery. */
    const receivedCount = (listener: Listener, count: number) =>
      eventually(() => expect(listener.received).toHaveLength(count));

    const unpositioned = ({ position: _position, ...change }: PositionedViewChange) => change;

    it('delivers what is published after subscribing, the whole change with a position', async () => {
      const listener = await listen();
      const change = viewChangeOf(projectionOf(uniqueSessionId(), { teamId: 'team-feed', run: 'running' }));
      await feed.publish([change]);
      await receivedCount(listener, 1);
      const [received] = listener.received;
      expect(unpositioned(received)).toEqual(change);
      expect(typeof received.position).toBe('string');
      expect(received.position.length).toBeGreaterThan(0);
    });

    it('delivers the tombstone of a deleted session', async () => {
      const listener = await listen();
      const change = viewChangeOf(projectionOf(uniqueSessionId(), { deleted: true }));
      await feed.publish([change]);
      await receivedCount(listener, 1);
      expect(listener.received[0]).toMatchObject({ session_id: change.session_id, deleted: true });
    });

    it('delivers only changes published after subscribing when no position is given', async () => {
      const earlier = viewChangeOf(projectionOf(uniqueSessionId('earlier')));
      await feed.publish([earlier]);
      const listener = await listen();
      const later = viewChangeOf(projectionOf(uniqueSessionId('later')));
      await feed.publish([later]);
      await receivedCount(listener, 1);
      expect(listener.received[0].session_id).toBe(later.session_id);
    });

    it("keeps one session's changes in publish order, with distinct positions", async () => {
      const listener = await listen();
      const first = projectionOf(uniqueSessionId());
      const second = renamed(first, 'second');
      const third = renamed(second, 'third');
      const other = projectionOf(uniqueSessionId());
      await feed.publish([viewChangeOf(first), viewChangeOf(other)]);
      await feed.publish([viewChangeOf(second)]);
      await feed.publish([viewChangeOf(third)]);
      await receivedCount(listener, 4);
      expect(versionsOf(listener, first.session_id)).toEqual([first.version, second.version, third.version]);
      expect(new Set(listener.received.map((change) => change.position)).size).toBe(4);
    });

    it('delivers every change to every subscriber', async () => {
      const [one, two] = [await listen(), await listen()];
      const changes = [projectionOf(uniqueSessionId()), projectionOf(uniqueSessionId())].map((projection) =>
        viewChangeOf(projection),
      );
      await feed.publish(changes);
      await receivedCount(one, 2);
      await receivedCount(two, 2);
      const sessions = (listener: Listener) => listener.received.map((change) => change.session_id).sort();
      expect(sessions(one)).toEqual(changes.map((change) => change.session_id).sort());
      expect(sessions(two)).toEqual(sessions(one));
    });

    it('resumes after the last position a subscriber saw: nothing before it, everything after it', async () => {
      const a = projectionOf(uniqueSessionId('a'));
      const b = projectionOf(uniqueSessionId('b'));
      const first = await listen();
      await feed.publish([viewChangeOf(a), viewChangeOf(b)]);
      await receivedCount(first, 2);
      const resumeAfter = first.received[first.received.length - 1].position;
      await first.subscription.close();

      const aLater = renamed(a, 'missed while away');
      const bLater = renamed(b, 'missed while away');
      await feed.publish([viewChangeOf(aLater)]);
      await feed.publish([viewChangeOf(bLater)]);

      const resumed = await listen({ after: resumeAfter });
      await receivedCount(resumed, 2);
      expect(versionsOf(resumed, a.session_id)).toEqual([aLater.version]);
      expect(versionsOf(resumed, b.session_id)).toEqual([bLater.version]);

      const live = renamed(aLater, 'published after resuming');
      await feed.publish([viewChangeOf(live)]);
      await receivedCount(resumed, 3);
      expect(versionsOf(resumed, a.session_id)).toEqual([aLater.version, live.version]);
    });

    it('stops delivering to a closed subscription', async () => {
      const closing = await listen();
      const staying = await listen();
      const before = viewChangeOf(projectionOf(uniqueSessionId('before')));
      await feed.publish([before]);
      await receivedCount(closing, 1);
      await closing.subscription.close();
      await feed.publish([viewChangeOf(projectionOf(uniqueSessionId('after')))]);
      await receivedCount(staying, 2);
      expect(closing.received.map((change) => change.session_id)).toEqual([before.session_id]);
    });

    it("rejects a position it never handed out as the client's mistake", async () => {
      const attempt = feed.subscribe({ after: 'not-a-position' }, () => undefined);
      const error = await attempt.then(
        () => undefined,
        (failure: unknown) => failure,
      );
      expect(isInvalidChangePosition(error)).toBe(true);
    });

    it('delivers a scoped subscriber only the changes of that user’s sessions of that agent, replayed and live', async () => {
      const scope = { userId: uniqueSessionId('user'), agentId: uniqueSessionId('agent') };
      const mine = projectionOf(uniqueSessionId('mine'), scope);
      const otherAgent = projectionOf(uniqueSessionId('other-agent'), { userId: scope.userId });
      const otherUser = projectionOf(uniqueSessionId('other-user'), { agentId: scope.agentId });
      const start = await listen();
      await feed.publish([mine, otherAgent, otherUser].map((projection) => viewChangeOf(projection)));
      await receivedCount(start, 3);
      const before = start.received[0].position;

      const scoped = await listen({ after: before, scope });
      const mineLater = renamed(mine, 'later');
      await feed.publish(
        [mineLater, renamed(otherAgent, 'later'), renamed(otherUser, 'later')].map((projection) =>
          viewChangeOf(projection),
        ),
      );
      await receivedCount(start, 6);
      await eventually(() => expect(versionsOf(scoped, mine.session_id)).toContain(mineLater.version));
      expect(scoped.received.every((change) => change.session_id === mine.session_id)).toBe(true);
    });

    it("rejects a position further on than any it handed out as the client's mistake", async () => {
      const listener = await listen();
      await feed.publish([viewChangeOf(projectionOf(uniqueSessionId()))]);
      await receivedCount(listener, 1);
      const error = await feed
        .subscribe({ after: harness.beyond(listener.received[0].position) }, () => undefined)
        .then(
          (subscription) => subscription.close(),
          (failure: unknown) => failure,
        );
      expect(isInvalidChangePosition(error)).toBe(true);
    });

    it('accepts an empty publish', async () => {
      const listener = await listen();
      await feed.publish([]);
      const marker = viewChangeOf(projectionOf(uniqueSessionId()));
      await feed.publish([marker]);
      await receivedCount(listener, 1);
      expect(listener.received[0].session_id).toBe(marker.session_id);
    });
  });
}
