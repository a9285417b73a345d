import { SessionEvent } from '@app/domain';
import { LogPosition, mergePositions } from '@app/ports';
import { setTimeout as sleep } from 'node:timers/promises';
import { FreshnessTarget, ingest, untilApplied } from './freshness-client';
import { interleavedSessions } from './workload';

/**
 * Events per `POST /sessions/events` of the background load and of the capacity measurement: agent runtimes post
 * as their runs go, a few events at a time, not in the 500-event batches of a bulk import.
 */
export const LOAD_BATCH = 20;
/**
 * Writers of the background load, each sending its own sessions' events in order, one request at a time, as an
 * agent runtime does: requests of one writer never overtake each other, so no event reaches the log after a later
 * one of its session (which the projector would repair by folding the session again from the archive). A writer
 * still busy when its turn comes makes the load fall behind its schedule, and the report says so.
 */
export const LOAD_WRITERS = 16;
/** Events generated per call of the workload, one wave of 100 sessions. */
const WORKLOAD_CHUNK_EVENTS = 2300;
/** Sessions numbered apart per writer: no two writers ever share one. */
const SESSIONS_PER_WRITER = 10_000_000;

/**
 * One writer's realistic sessions, 100 at a time interleaved, without end, every session new to the store. Events
 * are generated ahead with `prepare` before a timed phase: generating a wave stalls the event loop for tens of
 * milliseconds, which a write timed meanwhile would count as its own.
 */
export class WriterStream {
  private readonly ready: SessionEvent[] = [];
  private nextSession: number;

  constructor(writer: number) {
    this.nextSession = writer * SESSIONS_PER_WRITER;
  }

  /** Generates until `count` events are ready. */
  prepare(count: number): void {
    while (this.ready.length < count) {
      const { events, sessionIds } = interleavedSessions(WORKLOAD_CHUNK_EVENTS, this.nextSession);
      this.ready.push(...events);
      this.nextSession += sessionIds.length;
    }
  }

  /** The next LOAD_BATCH events, in order. */
  nextBatch(): SessionEvent[] {
    this.prepare(LOAD_BATCH);
    return this.ready.splice(0, LOAD_BATCH);
  }
}

/** The streams of LOAD_WRITERS writers, for one deployment's whole run: each phase continues them. */
export function writerStreams(): WriterStream[] {
  return Array.from({ length: LOAD_WRITERS }, (_, writer) => new WriterStream(writer));
}

/** What a load sent, and the furthest position its acknowledgements reached. */
export interface LoadReport {
  events: number;
  seconds: number;
  reached: LogPosition;
  /** Ticks at which their writer was still waiting for its previous answer, so the batch went late. */
  late: number;
}

/**
 * Background writers at a fixed rate, open loop: a batch of LOAD_BATCH events every LOAD_BATCH / rate seconds, from
 * the writers in turn, whatever the answers take, as independent clients do, so a slow server meets the same
 * arrivals and queues them.
 * The load ends by itself after `maxSeconds`: a projection that cannot keep up must not face an ever longer
 * backlog while the last timed read waits for it.
 */
export class PacedLoad {
  private stopped = false;
  private failure: Error | null = null;
  /** Each writer's request in flight, if any. */
  private readonly inFlight: Array<Promise<void> | null>;
  private reached: LogPosition = new Map();
  private sent = 0;
  private late = 0;
  private readonly startedAt = performance.now();
  private endedAt = 0;
  private readonly loop: Promise<void>;

  constructor(
    private readonly target: FreshnessTarget,
    private readonly writers: readonly WriterStream[],
    eventsPerSecond: number,
    private readonly maxSeconds: number,
  ) {
    this.inFlight = writers.map(() => null);
    this.loop = this.run((1000 * LOAD_BATCH) / eventsPerSecond);
  }

  /** Whether the load is still sending: it ends by itself after `maxSeconds`. */
  get active(): boolean {
    return this.endedAt === 0 && !this.stopped;
  }

  /** Throws the first failed request's error, so a probe never times a server that is refusing the load. */
  check(): void {
    if (this.failure) throw this.failure;
  }

  async stop(): Promise<LoadReport> {
    this.stopped = true;
    await this.loop;
    await Promise.all(this.inFlight);
    this.check();
    return {
      events: this.sent,
      seconds: (this.endedAt - this.startedAt) / 1000,
      reached: this.reached,
      late: this.late,
    };
  }

  private async run(intervalMs: number): Promise<void> {
    const endsAt = this.startedAt + this.maxSeconds * 1000;
    for (let tick = 1; !this.stopped && !this.failure; tick += 1) {
      const due = this.startedAt + tick * intervalMs;
      if (due > endsAt) break;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const writer = tick % this.writers.length;
      if (this.inFlight[writer]) {
        this.late += 1;
        await this.inFlight[writer];
      }
      const batch = this.writers[writer].nextBatch();
      const request: Promise<void> = ingest(this.target, batch).then(
        (position) => {
          this.reached = mergePositions(this.reached, position);
          this.sent += batch.length;
        },
        (error: Error) => {
          this.failure ??= error;
        },
      );
      this.inFlight[writer] = request;
      void request.finally(() => {
        if (this.inFlight[writer] === request) this.inFlight[writer] = null;
      });
    }
    this.endedAt = performance.now();
  }
}

/**
 * Events a capacity writer may have acknowledged and not yet applied: with CAPACITY_CLIENTS writers, a backlog of
 * a few projector batches, enough to keep the projector's batches full and the writers from waiting on each read.
 */
export const CAPACITY_WINDOW = 400;

/**
 * The writers posting LOAD_BATCH-event batches back to back until `total` events (rounded up to whole
 * batches) are acknowledged, none more than CAPACITY_WINDOW events ahead of the projection: a writer that far
 * ahead reads with the position of its batch half the window back, and writes on once that read answers. The rate
 * is then what ingest and projection sustain together, not how fast the log takes events while the projection
 * falls ever further behind (the projection catching up alone would overstate it too: ingest shares its CPU).
 * Resolves with the events sent and the furthest position acknowledged.
 */
export async function writeAsFastAsApplied(
  target: FreshnessTarget,
  writers: readonly WriterStream[],
  total: number,
  advance: (count: number) => void = () => undefined,
): Promise<{ sent: number; reached: LogPosition }> {
  let reached: LogPosition = new Map();
  let sent = 0;
  const client = async (stream: WriterStream) => {
    const unapplied: Array<{ position: LogPosition; events: number }> = [];
    let ahead = 0;
    while (sent < total) {
      const batch = stream.nextBatch();
      sent += batch.length;
      const position = await ingest(target, batch);
      reached = mergePositions(reached, position);
      unapplied.push({ position, events: batch.length });
      ahead += batch.length;
      advance(batch.length);
      if (ahead < CAPACITY_WINDOW) continue;
      let awaited: LogPosition = new Map();
      while (ahead > CAPACITY_WINDOW / 2) {
        const oldest = unapplied.shift()!;
        awaited = oldest.position;
        ahead -= oldest.events;
      }
      await untilApplied(target, awaited);
    }
  };
  await Promise.all(writers.map(client));
  return { sent, reached };
}
