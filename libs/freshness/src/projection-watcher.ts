import { AppConfig } from '@app/config';
import {
  AppliedPositions,
  covers,
  EMPTY_POSITION,
  LogHead,
  LogPosition,
  mergePositions,
  recordsBetween,
} from '@app/ports';
import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { LagClock } from './lag-clock';

/** How fresh an answer read now is. */
export interface Freshness {
  /** Everything up to here is applied: an answer read after this was taken reflects at least it. */
  applied: LogPosition;
  /** Records in the log past `applied`, as of the last look at the log's end. */
  eventsBehind: number;
  /** How long the oldest of those has waited (see LagClock); 0 when none waits. */
  msBehind: number;
}

export type WaitOutcome =
  /** The projection has applied the position. */
  | { kind: 'applied'; freshness: Freshness }
  /** It had not within the wait. */
  | { kind: 'behind'; freshness: Freshness }
  /** The log itself does not reach the position: no write of this log was acknowledged with it. */
  | { kind: 'beyond_log'; freshness: Freshness };

interface Waiter {
  wanted: LogPosition;
  /** When the waiter arrived: only a look at the log's end taken after it may call its position beyond the log. */
  since: number;
  /** When its own wait is over: a look that finds the position in the log but not applied answers "behind". */
  until: number;
  settle(outcome: WaitOutcome['kind']): void;
}

/** Between looks while nobody waits: fresh enough for the freshness headers, idle enough to cost nothing. */
const IDLE_WATCH_MS = 250;
/** The longest a position past the log's last seen end waits for the look that tells whether the log reaches it. */
const LOOK_BOUND_MS = 2 * IDLE_WATCH_MS;
/** Waiting requests held at once; past it a read answers "behind" at once rather than hold one more connection. */
export const MAX_WAITERS = 10_000;

/**
 * The one watcher of the projection's progress in a query API process: it reads the applied position and the log's
 * end together, every PROJECTION_WATCH_MS while any request waits (every 250 ms otherwise, and at once when the
 * projector in this process records an advance), and wakes every waiting request its look satisfies. A thousand
 * waiting requests cost the same reads as one.
 */
@Injectable()
export class ProjectionWatcher implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ProjectionWatcher.name);
  private readonly clock = new LagClock();
  private readonly waiters = new Set<Waiter>();
  private applied: LogPosition = EMPTY_POSITION;
  private head: LogPosition = EMPTY_POSITION;
  private stopped = false;
  private loop: Promise<void> | null = null;
  private interrupt: (() => void) | null = null;
  /** An advance announced while a look was under way: the next pause is skipped. */
  private lookAgain = false;
  private idle = false;
  private failing = false;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly appliedPositions: AppliedPositions,
    private readonly logHead: LogHead,
    private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    this.unsubscribe = this.appliedPositions.onRecorded(() => this.wake());
    await this.look();
    this.loop = this.watch();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.wake();
    await this.loop;
    for (const waiter of this.waiters) waiter.settle('behind');
  }

  /** Reads waiting for a position now. */
  get waiting(): number {
    return this.waiters.size;
  }

  /** Where the projection stands as of the last look. */
  current(): Freshness {
    return {
      applied: this.applied,
      eventsBehind: recordsBetween(this.applied, this.head),
      msBehind: this.clock.msBehind(this.applied, Date.now()),
    };
  }

  /**
   * Resolves once the projection has applied `wanted`, or with why not within `waitMs`; at once "behind" when
   * `abandoned` fires (the client left), so a waiter never outlives its request. A position past the end of the log
   * as last seen waits for one more look at the log whatever `waitMs` is (at most LOOK_BOUND_MS), to tell a write
   * made since that look from a position no write was acknowledged with.
   */
  awaitPosition(wanted: LogPosition, waitMs: number, abandoned?: AbortSignal): Promise<WaitOutcome> {
    if (covers(this.applied, wanted)) return Promise.resolve({ kind: 'applied', freshness: this.current() });
    const inLog = covers(this.head, wanted);
    if ((waitMs <= 0 && inLog) || this.waiters.size >= MAX_WAITERS || this.stopped || abandoned?.aborted) {
      return Promise.resolve({ kind: 'behind', freshness: this.current() });
    }
    return new Promise((resolve) => {
      const leave = () => waiter.settle('behind');
      const since = Date.now();
      const waiter: Waiter = {
        wanted,
        since,
        until: since + waitMs,
        settle: (kind) => {
          clearTimeout(timer);
          abandoned?.removeEventListener('abort', leave);
          this.waiters.delete(waiter);
          resolve({ kind, freshness: this.current() });
        },
      };
      const timer = setTimeout(leave, inLog ? waitMs : Math.max(waitMs, LOOK_BOUND_MS));
      abandoned?.addEventListener('abort', leave, { once: true });
      this.waiters.add(waiter);
      // Only the first waiter cuts an idle pause short; the others wait for the look already due.
      if (this.idle) this.wake();
    });
  }

  private async watch(): Promise<void> {
    while (!this.stopped) {
      this.idle = this.waiters.size === 0;
      const { watchMs } = this.config.freshness;
      await this.pause(this.idle ? Math.max(IDLE_WATCH_MS, watchMs) : watchMs);
      this.idle = false;
      if (!this.stopped) await this.look();
    }
  }

  private async look(): Promise<void> {
    const startedAt = Date.now();
    const [applied, head] = await Promise.allSettled([this.appliedPositions.read(), this.logHead.read()]);
    // Both only grow; a read from a lagging replica or a reset must not make answers look older than they were.
    if (applied.status === 'fulfilled') this.applied = mergePositions(this.applied, applied.value);
    if (head.status === 'fulfilled') this.head = mergePositions(this.head, head.value, this.applied);
    this.clock.observe(this.applied, this.head, Date.now());
    this.noteFailures([applied, head]);
    for (const waiter of this.waiters) {
      if (covers(this.applied, waiter.wanted)) waiter.settle('applied');
      else if (
        head.status === 'fulfilled' &&
        waiter.since <= startedAt &&
        !covers(this.head, waiter.wanted)
      ) {
        waiter.settle('beyond_log');
      }
    }
  }

  /**
   * Logs the first failed look and the recovery. Waiters keep waiting until their bound meanwhile (the applied
   * position alone still answers them when only the log cannot be read); the stores' readiness checks say what is
   * down.
   */
  private noteFailures(reads: PromiseSettledResult<LogPosition>[]): void {
    const failure = reads.find((read): read is PromiseRejectedResult => read.status === 'rejected');
    if (failure && !this.failing) {
      this.logger.warn(`cannot read the projection's progress: ${(failure.reason as Error).message}`);
    } else if (!failure && this.failing) {
      this.logger.log("reading the projection's progress again");
    }
    this.failing = failure !== undefined;
  }

  private wake(): void {
    if (this.interrupt) this.interrupt();
    else this.lookAgain = true;
  }

  private pause(ms: number): Promise<void> {
    if (this.lookAgain) {
      this.lookAgain = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.interrupt = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.interrupt = done;
    });
  }
}
