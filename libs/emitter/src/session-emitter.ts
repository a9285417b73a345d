import { randomUUID } from 'node:crypto';
import {
  CURRENT_SCHEMA_VERSION,
  formatDate,
  parseSessionEvent,
  SessionEvent,
  SessionEventOf,
  SessionEventType,
} from '@app/domain';
import { isTransientKafkaFailure, StandaloneKafkaEventLog } from '@app/kafka-log';
import { covers, EventLog, formatPositionToken, LogPosition, parsePositionToken } from '@app/ports';
import {
  EmitterError,
  EmitterErrorCode,
  InvalidEventError,
  SendFailedError,
  SeqConflictError,
} from './emitter.errors';

/** Kafka's default limit on one record (message.max.bytes, about 1 MiB), less room for the key and headers. */
export const DEFAULT_MAX_EVENT_BYTES = 1_000_000;

/**
 * How long `emit` keeps sending through a broker outage before it gives up with `SendFailedError`: long enough for a
 * broker restart or a leader election, short enough for a runtime to notice an outage that needs a person.
 */
export const DEFAULT_SEND_RETRY_MS = 120_000;

const FIRST_RESEND_PAUSE_MS = 200;
const MAX_RESEND_PAUSE_MS = 5_000;

interface CommonOptions {
  /** Events whose JSON is larger are refused before sending. */
  maxEventBytes?: number;
  /** Where occurred_at comes from when an emit does not give one. */
  clock?: () => Date;
  /**
   * How long a send is retried while the log fails transiently (no broker answers, a timeout, a moving leader),
   * counted from its first attempt; no new attempt starts after it. 0 sends once. Refusals are never retried.
   */
  sendRetryMs?: number;
  /** Which append failures are worth another attempt; the Kafka emitter's are broker outages and moving leaders. */
  isTransient?: (error: unknown) => boolean;
}

export interface KafkaSessionEmitterOptions extends CommonOptions {
  brokers: string[];
  topic: string;
  clientId: string;
}

/** Emits into any event log, for example the embedded one or a test double. */
export interface LogSessionEmitterOptions extends CommonOptions {
  log: EventLog;
}

export type SessionEmitterOptions = KafkaSessionEmitterOptions | LogSessionEmitterOptions;

export interface EmitOptions {
  occurredAt?: Date;
}

/** What the log acknowledged: the event as sent, and the position to read after to see it. */
export interface Emitted<TEvent extends SessionEvent = SessionEvent> {
  event: TEvent;
  /**
   * An opaque log position: pass it to a read as `min_position` (or the `Min-Position` header) and the answer
   * includes this event. Compare positions with `positionCovers`, never by their text.
   */
  position: string;
}

/**
 * Whether a position (for example a change-stream event's `log_position`) includes everything another one does
 * (for example what `emit` returned): then that change already reflects the emitted event.
 */
export function positionCovers(reached: string, wanted: string): boolean {
  return covers(parsePositionToken(reached), parsePositionToken(wanted));
}

interface OwnedSession {
  /** The seq the next emit follows. */
  assigned: number;
  /** The highest seq the log acknowledged. */
  acknowledged: number;
  /** The event whose send failed; no later seq is sent before it. */
  failed?: SessionEvent;
  /** Bumped by a failure and by a resume, so sends queued under the old numbering are refused, never sent. */
  epoch: number;
  /** The send in flight: a session's events reach the log one at a time, in seq order. */
  tail: Promise<unknown>;
}

/**
 * The SDK agent runtimes emit session events with. It owns the seqs of the sessions it opened or resumed: each
 * emit takes the next one, is validated against the event contract before anything is sent, and resolves once
 * the log acknowledged it (every in-sync replica, on Kafka). One runtime must own a session at a time; the emitter
 * catches the conflicts it can see itself and the projector dead-letters the rest.
 */
export class SessionEmitter {
  private readonly log: EventLog;
  private readonly connection: StandaloneKafkaEventLog | undefined;
  private readonly sessions = new Map<string, OwnedSession>();
  private readonly maxEventBytes: number;
  private readonly clock: () => Date;
  private readonly sendRetryMs: number;
  private readonly isTransient: (error: unknown) => boolean;

  constructor(options: SessionEmitterOptions) {
    if ('log' in options) {
      this.log = options.log;
    } else {
      this.connection = new StandaloneKafkaEventLog(options);
      this.log = this.connection;
    }
    this.maxEventBytes = options.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES;
    this.clock = options.clock ?? (() => new Date());
    this.sendRetryMs = options.sendRetryMs ?? DEFAULT_SEND_RETRY_MS;
    if (!Number.isFinite(this.sendRetryMs) || this.sendRetryMs < 0) {
      throw new RangeError(
        `sendRetryMs must be a non-negative number of milliseconds, got ${this.sendRetryMs}`,
      );
    }
    this.isTransient = options.isTransient ?? isTransientKafkaFailure;
  }

  async connect(): Promise<void> {
    await this.connection?.connect();
  }

  /** Waits for the sends in flight, then closes the connection. */
  async disconnect(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((session) => session.tail));
    await this.connection?.disconnect();
  }

  /** Starts a new session whose first event gets seq 1; returns its id. */
  openSession(sessionId: string = randomUUID()): string {
    if (this.sessions.has(sessionId)) {
      throw new SeqConflictError(
        EmitterErrorCode.SessionAlreadyOwned,
        sessionId,
        `session ${sessionId} is already open on this emitter at seq ${this.sessions.get(sessionId)!.assigned}`,
      );
    }
    this.sessions.set(sessionId, newSession(0));
    return sessionId;
  }

  /** Continues a session whose last event in the log has seq `lastSeq` (from the store, or a runtime's checkpoint). */
  resumeSession(sessionId: string, lastSeq: number): void {
    if (!Number.isInteger(lastSeq) || lastSeq < 0) {
      throw new RangeError(`lastSeq must be a non-negative integer, got ${lastSeq}`);
    }
    const session = this.sessions.get(sessionId);
    if (!session) {
      this.sessions.set(sessionId, newSession(lastSeq));
      return;
    }
    // A failed send may not have reached the log, so the caller may take its seq back; seqs in flight are taken.
    const lowest = session.failed ? session.acknowledged : session.assigned;
    if (lastSeq < lowest) {
      throw new SeqConflictError(
        EmitterErrorCode.SeqRegression,
        sessionId,
        `cannot resume session ${sessionId} after seq ${lastSeq}: this emitter already used seqs up to ${lowest}`,
      );
    }
    session.assigned = lastSeq;
    session.acknowledged = Math.max(session.acknowledged, lastSeq);
    session.failed = undefined;
    session.epoch += 1;
  }

  /** Forgets a session (for example once it is deleted or handed to another runtime). */
  closeSession(sessionId: string): void {
    this.sessions.delete(sessionId);
  }

  /** The seq of the last event emitted for the session, or undefined when it is not open here. */
  lastSeq(sessionId: string): number | undefined {
    return this.sessions.get(sessionId)?.assigned;
  }

  /**
   * Emits the session's next event. Resolves with the event and its log position once the log acknowledged it.
   * Throws `InvalidEventError` (nothing sent, no seq used), `SeqConflictError`, or `SendFailedError`.
   */
  async emit<TType extends SessionEventType>(
    sessionId: string,
    type: TType,
    data: SessionEventOf<TType>['data'],
    options: EmitOptions = {},
  ): Promise<Emitted<SessionEventOf<TType>>> {
    const session = this.owned(sessionId);
    if (session.failed) throw blockedBy(session.failed);
    const draft = {
      event_id: randomUUID(),
      session_id: sessionId,
      seq: session.assigned + 1,
      type,
      occurred_at: formatDate(options.occurredAt ?? this.clock()),
      schema_version: CURRENT_SCHEMA_VERSION,
      data,
    } as SessionEventOf<TType>;
    // What the log receives is what parsing made of it: date-times in the one UTC form.
    const event = this.check(draft) as SessionEventOf<TType>;
    session.assigned = event.seq;
    const position = await this.send(session, event);
    return { event, position: formatPositionToken(position) };
  }

  /**
   * Sends an event this emitter already emitted once more, typically the one a `SendFailedError` carries. If it did
   * reach the log the first time, the projector skips the copy. Unblocks the session when it was the failed one.
   * Resolves with the log position of the copy.
   */
  async resend(event: SessionEvent): Promise<string> {
    const session = this.owned(event.session_id);
    if (event.seq > session.assigned) {
      throw new SeqConflictError(
        EmitterErrorCode.SeqRegression,
        event.session_id,
        `seq ${event.seq} of session ${event.session_id} was never emitted here (last seq ${session.assigned})`,
      );
    }
    return formatPositionToken(await this.send(session, event));
  }

  private owned(sessionId: string): OwnedSession {
    const session = this.sessions.get(sessionId);
    if (!session) {
      throw new SeqConflictError(
        EmitterErrorCode.SessionNotOwned,
        sessionId,
        `session ${sessionId} is not open on this emitter: call openSession or resumeSession first`,
      );
    }
    return session;
  }

  private check(draft: SessionEvent): SessionEvent {
    const parsed = parseSessionEvent(draft);
    if (!parsed.ok) throw new InvalidEventError(parsed.errors);
    const event = parsed.event;
    const bytes = Buffer.byteLength(JSON.stringify(event), 'utf8');
    if (bytes > this.maxEventBytes) {
      throw new EmitterError(
        EmitterErrorCode.EventTooLarge,
        `${event.type} for session ${event.session_id} is ${bytes} bytes of JSON, over the limit of ${this.maxEventBytes}`,
      );
    }
    return event;
  }

  private send(session: OwnedSession, event: SessionEvent): Promise<LogPosition> {
    const epoch = session.epoch;
    const isRetry = session.failed?.event_id === event.event_id;
    const sent = session.tail.then(async () => {
      if (session.epoch !== epoch && !isRetry) throw supersededBy(session, event);
      let position: LogPosition;
      try {
        position = await this.appendWithinBound(event);
      } catch (error) {
        if (!session.failed && event.seq > session.acknowledged) {
          session.failed = event;
          session.assigned = event.seq;
          session.epoch += 1;
        }
        throw new SendFailedError(event, error);
      }
      session.acknowledged = Math.max(session.acknowledged, event.seq);
      if (session.failed?.event_id === event.event_id) session.failed = undefined;
      return position;
    });
    session.tail = sent.catch(() => undefined);
    return sent;
  }

  /**
   * Appends the event, again after a growing pause while the log fails transiently, until `sendRetryMs` has passed
   * since the first attempt. An attempt that reached the log although it failed leaves a copy the projector skips.
   */
  private async appendWithinBound(event: SessionEvent): Promise<LogPosition> {
    const deadline = Date.now() + this.sendRetryMs;
    for (let pause = FIRST_RESEND_PAUSE_MS; ; pause = Math.min(pause * 2, MAX_RESEND_PAUSE_MS)) {
      try {
        return await this.log.append([event]);
      } catch (error) {
        const remaining = deadline - Date.now();
        if (remaining <= 0 || !this.isTransient(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.min(pause, remaining)));
      }
    }
  }
}

function newSession(lastSeq: number): OwnedSession {
  return { assigned: lastSeq, acknowledged: lastSeq, epoch: 0, tail: Promise.resolve() };
}

/** Why a send queued under an older numbering of the session is refused instead of sent. */
function supersededBy(session: OwnedSession, queued: SessionEvent): SeqConflictError {
  if (session.failed) return blockedBy(session.failed);
  return new SeqConflictError(
    EmitterErrorCode.SeqRegression,
    queued.session_id,
    `seq ${queued.seq} of session ${queued.session_id} was not sent: the session was resumed while it waited`,
  );
}

function blockedBy(failed: SessionEvent): SeqConflictError {
  return new SeqConflictError(
    EmitterErrorCode.SessionBlocked,
    failed.session_id,
    `seq ${failed.seq} of session ${failed.session_id} failed to send: resend it, or resume the session, before emitting more`,
  );
}
