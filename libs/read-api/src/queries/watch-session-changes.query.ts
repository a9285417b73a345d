import { AppConfig } from '@app/config';
import { ApiError, ApiErrorCode, RequestValidationError } from '@app/http';
import {
  ChangeFeed,
  ChangeSubscription,
  inChangeScope,
  isInvalidChangePosition,
  PositionedViewChange,
  SubscribeOptions,
} from '@app/ports';
import { Logger, MessageEvent, OnModuleDestroy } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { EMPTY, Observable, Subscriber } from 'rxjs';
import { ChangeStreamSettings } from '../change-stream-settings';
import { AgentSessionsParams } from '../dto/session-params';
import { shapeView } from '../session-view-shape';

/** SSE event types: a view changed (its new state follows), or the session was deleted. */
export const SESSION_UPDATED_EVENT = 'session.updated';
export const SESSION_DELETED_EVENT = 'session.deleted';

export class WatchSessionChangesQuery extends Query<Observable<MessageEvent>> {
  constructor(
    readonly userId: string,
    readonly params: AgentSessionsParams,
    /** The SSE Last-Event-ID: the feed position to resume after. */
    readonly lastEventId: string | undefined,
    /** Aborted when the response ends, whichever way: the feed subscription is released then. */
    readonly ended: AbortSignal,
    /** When the caller's credential lapses (seconds since the epoch): the stream ends then. */
    readonly expiresAt?: number,
  ) {
    super();
  }
}

/**
 * Server-sent events of the caller's view changes for one agent. The feed subscription is made before the response
 * starts, so a bad Last-Event-ID or an unreachable feed is an ordinary error response; `: subscribed` is the first
 * line once changes can arrive, then every change is an event whose id is its feed position, with a `: heartbeat`
 * comment in quiet periods.
 */
@QueryHandler(WatchSessionChangesQuery)
export class WatchSessionChangesHandler implements IQueryHandler<WatchSessionChangesQuery>, OnModuleDestroy {
  private readonly logger = new Logger(WatchSessionChangesHandler.name);
  private readonly streams = new Set<Subscriber<MessageEvent>>();
  /** Feed subscriptions being closed; shutdown waits for them, as the feed's own shutdown follows. */
  private readonly releasing = new Set<Promise<void>>();

  /** Open streams (subscribed, not yet released) per caller; their sum is checked against the total cap. */
  private readonly openPerCaller = new Map<string, number>();
  private openTotal = 0;

  constructor(
    private readonly feed: ChangeFeed,
    private readonly settings: ChangeStreamSettings,
    private readonly config: AppConfig,
  ) {}

  async execute({
    userId,
    params,
    lastEventId,
    ended,
    expiresAt,
  }: WatchSessionChangesQuery): Promise<Observable<MessageEvent>> {
    const events = new HeldUntilSubscribed<MessageEvent>();
    const leave = this.admit(userId);
    const scope = { userId, agentId: params.agent_id };
    let subscription: ChangeSubscription;
    try {
      subscription = await this.subscribe({ after: lastEventId, scope }, (change) => {
        // The feed delivers the scope only; checking again here means no adapter bug can show one user another's.
        if (inChangeScope(change, scope)) events.push(toEvent(change, params));
      });
    } catch (error) {
      leave();
      throw error;
    }
    const release = this.releaser(subscription, leave);
    if (ended.aborted) {
      release();
      return EMPTY;
    }
    ended.addEventListener('abort', release, { once: true });
    return new Observable<MessageEvent>((subscriber) => {
      this.streams.add(subscriber);
      subscriber.next({ comment: 'subscribed' });
      events.attach(subscriber);
      const heartbeat = setInterval(
        () => subscriber.next({ comment: 'heartbeat' }),
        this.settings.heartbeatMs,
      );
      // A token authorises the stream only until it lapses; the client reconnects with a fresh one.
      const lapse =
        expiresAt === undefined ? undefined : atInstant(expiresAt * 1000, () => subscriber.complete());
      return () => {
        clearInterval(heartbeat);
        lapse?.cancel();
        events.detach();
        this.streams.delete(subscriber);
        release();
      };
    });
  }

  /** Ends every open stream, so shutting down does not wait for clients that never hang up. */
  async onModuleDestroy(): Promise<void> {
    this.streams.forEach((stream) => stream.complete());
    await Promise.all(this.releasing);
  }

  private async subscribe(
    options: SubscribeOptions,
    onChange: (change: PositionedViewChange) => void,
  ): Promise<ChangeSubscription> {
    const after = options.after;
    try {
      return await this.feed.subscribe(after === undefined ? { scope: options.scope } : options, onChange);
    } catch (error) {
      if (isInvalidChangePosition(error)) {
        throw new RequestValidationError([
          {
            type: 'value_error',
            loc: ['header', 'last-event-id'],
            msg: 'Value error, not an event id this change feed can resume after (unknown, or too far back: reload and reconnect without it)',
            input: after,
          },
        ]);
      }
      this.logger.error(`subscribing to the change feed failed: ${(error as Error).stack ?? error}`);
      throw new ApiError(ApiErrorCode.Unavailable, 'The change feed is unavailable; retry later');
    }
  }

  /**
   * Counts a stream in, or refuses it with 429 when the caller, or everyone together, holds as many as allowed: a
   * stream holds a socket and a feed subscription for as long as the client likes. Returns how to count it out.
   */
  private admit(userId: string): () => void {
    const { maxChangeStreams, maxChangeStreamsPerCaller } = this.config.httpLimits;
    const mine = this.openPerCaller.get(userId) ?? 0;
    if (mine >= maxChangeStreamsPerCaller) {
      throw new ApiError(
        ApiErrorCode.TooManyRequests,
        `Too many change streams: this caller already holds ${mine}, the most allowed (MAX_CHANGE_STREAMS_PER_CALLER); close one first`,
      );
    }
    if (this.openTotal >= maxChangeStreams) {
      throw new ApiError(
        ApiErrorCode.TooManyRequests,
        `Too many change streams: the server holds ${this.openTotal}, the most allowed (MAX_CHANGE_STREAMS); retry later`,
        { 'Retry-After': '30' },
      );
    }
    this.openPerCaller.set(userId, mine + 1);
    this.openTotal += 1;
    let counted = true;
    return () => {
      if (!counted) return;
      counted = false;
      this.openTotal -= 1;
      const left = (this.openPerCaller.get(userId) ?? 1) - 1;
      if (left === 0) this.openPerCaller.delete(userId);
      else this.openPerCaller.set(userId, left);
    };
  }

  private releaser(subscription: ChangeSubscription, leave: () => void): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      leave();
      const closing = subscription
        .close()
        .catch((error: unknown) => this.logger.error(`closing a change-feed subscription failed: ${error}`))
        .finally(() => this.releasing.delete(closing));
      this.releasing.add(closing);
    };
  }
}

function toEvent(change: PositionedViewChange, params: AgentSessionsParams): MessageEvent {
  // The log position lets a client that wrote an event tell the change that includes it (SDK: positionCovers).
  const logPosition = change.log_position === undefined ? {} : { log_position: change.log_position };
  return change.deleted
    ? {
        type: SESSION_DELETED_EVENT,
        id: change.position,
        data: { session_id: change.session_id, version: change.version, ...logPosition },
      }
    : {
        type: SESSION_UPDATED_EVENT,
        id: change.position,
        data: {
          session_id: change.session_id,
          version: change.version,
          ...logPosition,
          view: shapeView(change.view, params.view),
        },
      };
}

/** Changes that arrive between subscribing to the feed and the response subscribing to the stream wait here. */
class HeldUntilSubscribed<T> {
  private held: T[] = [];
  private target?: Subscriber<T>;
  private detached = false;

  push(value: T): void {
    if (this.target) this.target.next(value);
    else if (!this.detached) this.held.push(value);
  }

  attach(target: Subscriber<T>): void {
    this.target = target;
    this.held.splice(0).forEach((value) => target.next(value));
  }

  /** Until the feed subscription is closed, changes may still come; they are dropped. */
  detach(): void {
    this.target = undefined;
    this.detached = true;
    this.held = [];
  }
}

/** The largest delay setTimeout keeps (about 24.8 days); a later instant is reached in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function atInstant(epochMs: number, run: () => void): { cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    const remaining = epochMs - Date.now();
    if (remaining <= 0) run();
    else timer = setTimeout(schedule, Math.min(remaining, MAX_TIMER_MS));
  };
  schedule();
  return { cancel: () => clearTimeout(timer) };
}
