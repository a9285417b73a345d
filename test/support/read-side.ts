import { SessionProjection } from '@app/domain';
import {
  ChangeFeed,
  ChangeSubscription,
  PositionedViewChange,
  SubscribeOptions,
  ViewChange,
  ViewGenerations,
  ViewStore,
} from '@app/ports';
import { INestApplication } from '@nestjs/common';

// Writing views and changes the way the projector does, for suites that test the read side through HTTP.

export async function activeStore(app: INestApplication): Promise<ViewStore> {
  const generations = app.get(ViewGenerations);
  return generations.store(await generations.active());
}

/** Stores new sessions (none of them may exist yet). */
export async function insertViews(app: INestApplication, ...projections: SessionProjection[]): Promise<void> {
  const result = await (
    await activeStore(app)
  ).writeMany(projections.map((projection) => ({ projection, expectedVersion: null })));
  if (result.conflicts.length > 0) throw new Error(`sessions already stored: ${result.conflicts.join(', ')}`);
}

/** Stores the next state of sessions, each guarded by the version it follows. */
export async function updateViews(
  app: INestApplication,
  ...updates: { previous: SessionProjection; next: SessionProjection }[]
): Promise<void> {
  const result = await (
    await activeStore(app)
  ).writeMany(updates.map(({ previous, next }) => ({ projection: next, expectedVersion: previous.version })));
  if (result.conflicts.length > 0) throw new Error(`version conflicts: ${result.conflicts.join(', ')}`);
}

/**
 * Delegates to a real feed and counts the subscriptions still open, so a suite can see that a stream's
 * subscription is released when its client goes away.
 */
export class SubscriptionCountingFeed extends ChangeFeed {
  open = 0;

  constructor(private readonly feed: ChangeFeed) {
    super();
  }

  publish(changes: readonly ViewChange[]): Promise<void> {
    return this.feed.publish(changes);
  }

  async subscribe(
    options: SubscribeOptions,
    onChange: (change: PositionedViewChange) => void,
  ): Promise<ChangeSubscription> {
    const subscription = await this.feed.subscribe(options, onChange);
    this.open += 1;
    let closed = false;
    return {
      close: async () => {
        if (!closed) this.open -= 1;
        closed = true;
        await subscription.close();
      },
    };
  }
}
