import { CURRENT_SCHEMA_VERSION, SessionEvent } from '@app/domain';
import { KafkaError, KafkaErrorCode } from '@app/kafka-log';
import { EventLog, LogPosition } from '@app/ports';
import { realisticHistory } from '../../../test/factories/session-events';
import { EmitterErrorCode, InvalidEventError, SendFailedError, SeqConflictError } from './emitter.errors';
import { positionCovers, SessionEmitter } from './session-emitter';

/** An event log in memory whose appends the test acknowledges or fails one by one. */
class ManualEventLog extends EventLog {
  readonly appended: SessionEvent[] = [];
  private readonly waiting: { events: SessionEvent[]; settle: (error?: Error) => void }[] = [];
  autoAcknowledge = true;

  append(events: readonly SessionEvent[]): Promise<LogPosition> {
    if (this.autoAcknowledge) {
      this.appended.push(...events);
      return Promise.resolve(this.position());
    }
    return new Promise((resolve, reject) => {
      this.waiting.push({
        events: [...events],
        settle: (error) => {
          if (error) return reject(error);
          this.appended.push(...events);
          resolve(this.position());
        },
      });
    });
  }

  /** One partition whose next offset is the number of events appended. */
  private position(): LogPosition {
    return new Map([[0, this.appended.length]]);
  }

  get pending(): number {
    return this.waiting.length;
  }

  /** Settles the oldest append still waiting. */
  settleNext(error?: Error): void {
    const next = this.waiting.shift();
    if (!next) throw new Error('no append is waiting');
    next.settle(error);
  }
}

const NOW = new Date('2025-03-03T09:00:00.000Z');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const history = realisticHistory('ignored');
const created = history[0];
const later = history.slice(1);

/** Lets queued promise callbacks run, so sends chained behind others reach the log. */
const settled = () => new Promise((resolve) => setImmediate(resolve));

describe(SessionEmitter.name, () => {
  let log: ManualEventLog;
  let emitter: SessionEmitter;

  beforeEach(() => {
    log = new ManualEventLog();
    emitter = new SessionEmitter({ log, clock: () => NOW });
  });

  it('numbers a new session from 1 and fills the envelope', async () => {
    const sessionId = emitter.openSession();
    const { event: first } = await emitter.emit(sessionId, created.type, created.data);
    const { event: second } = await emitter.emit(sessionId, later[0].type, later[0].data);
    expect(first).toEqual({
      event_id: expect.stringMatching(UUID),
      session_id: sessionId,
      seq: 1,
      type: 'session.created',
      occurred_at: '2025-03-03T09:00:00Z',
      schema_version: CURRENT_SCHEMA_VERSION,
      data: created.data,
    });
    expect(second.seq).toBe(2);
    expect(second.event_id).not.toBe(first.event_id);
    expect(log.appended).toEqual([first, second]);
    expect(emitter.lastSeq(sessionId)).toBe(2);
  });

  it('resolves with the position the log acknowledged, as a token reads compare', async () => {
    const sessionId = emitter.openSession();
    const first = await emitter.emit(sessionId, created.type, created.data);
    const second = await emitter.emit(sessionId, later[0].type, later[0].data);
    expect([first.position, second.position]).toEqual(['0:1', '0:2']);
    expect(positionCovers(second.position, first.position)).toBe(true);
    expect(positionCovers(first.position, second.position)).toBe(false);
  });

  it('emits a whole history event for event', async () => {
    const sessionId = emitter.openSession('session-emitted');
    for (const event of history) {
      await emitter.emit(sessionId, event.type, event.data, { occurredAt: new Date(event.occurred_at) });
    }
    const strip = ({ event_id: _id, session_id: _session, ...rest }: SessionEvent) => rest;
    expect(log.appended.map(strip)).toEqual(history.map(strip));
  });

  it('refuses an invalid event, naming every offending field, and uses no seq for it', async () => {
    const sessionId = emitter.openSession();
    const { user_id: _user, ...withoutUser } = created.data as { user_id: string };
    const attempt = emitter.emit(sessionId, 'session.created', {
      ...withoutUser,
      source: 'carrier-pigeon',
    } as never);
    await expect(attempt).rejects.toBeInstanceOf(InvalidEventError);
    const error = (await attempt.catch((e: unknown) => e)) as InvalidEventError;
    expect(error.code).toBe(EmitterErrorCode.InvalidEvent);
    expect(error.fieldErrors.map(({ path }) => path).sort()).toEqual(['data.source', 'data.user_id']);
    expect(error.message).toContain('data.user_id');
    expect(log.appended).toEqual([]);
    expect((await emitter.emit(sessionId, created.type, created.data)).event.seq).toBe(1);
  });

  it('refuses an event larger than a log record may be, before sending', async () => {
    const small = new SessionEmitter({ log, maxEventBytes: 200 });
    const sessionId = small.openSession();
    await expect(small.emit(sessionId, created.type, created.data)).rejects.toMatchObject({
      code: EmitterErrorCode.EventTooLarge,
    });
    expect(log.appended).toEqual([]);
  });

  it('refuses to emit for a session it does not own', async () => {
    await expect(emitter.emit('someone-elses', created.type, created.data)).rejects.toEqual(
      expect.objectContaining({ code: EmitterErrorCode.SessionNotOwned, sessionId: 'someone-elses' }),
    );
    await expect(emitter.emit('someone-elses', created.type, created.data)).rejects.toBeInstanceOf(
      SeqConflictError,
    );
  });

  it('refuses to open a session twice', () => {
    const sessionId = emitter.openSession();
    expect(() => emitter.openSession(sessionId)).toThrow(
      expect.objectContaining({ code: EmitterErrorCode.SessionAlreadyOwned }),
    );
  });

  it('continues a resumed session after its last seq', async () => {
    emitter.resumeSession('resumed', 7);
    const { event: next } = await emitter.emit('resumed', later[0].type, later[0].data);
    expect(next.seq).toBe(8);
    emitter.resumeSession('resumed', 12);
    expect((await emitter.emit('resumed', later[1].type, later[1].data)).event.seq).toBe(13);
  });

  it('refuses to resume below a seq it already used', async () => {
    const sessionId = emitter.openSession();
    await emitter.emit(sessionId, created.type, created.data);
    await emitter.emit(sessionId, later[0].type, later[0].data);
    expect(() => emitter.resumeSession(sessionId, 1)).toThrow(
      expect.objectContaining({ code: EmitterErrorCode.SeqRegression }),
    );
    expect(() => emitter.resumeSession(sessionId, -1)).toThrow(RangeError);
    expect(emitter.lastSeq(sessionId)).toBe(2);
  });

  it("sends a session's events one at a time, in seq order", async () => {
    log.autoAcknowledge = false;
    const sessionId = emitter.openSession();
    const emits = [created, ...later.slice(0, 2)].map((event) =>
      emitter.emit(sessionId, event.type, event.data),
    );
    await settled();
    expect(log.pending).toBe(1);
    while (log.pending > 0) {
      log.settleNext();
      await settled();
    }
    expect((await Promise.all(emits)).map(({ event }) => event.seq)).toEqual([1, 2, 3]);
    expect(log.appended.map(({ seq }) => seq)).toEqual([1, 2, 3]);
  });

  it('blocks a session after a failed send until that very event is resent', async () => {
    const sessionId = emitter.openSession();
    await emitter.emit(sessionId, created.type, created.data);
    log.autoAcknowledge = false;
    const failing = emitter.emit(sessionId, later[0].type, later[0].data);
    const queued = emitter.emit(sessionId, later[1].type, later[1].data);
    await settled();
    log.settleNext(new Error('broker unreachable'));

    const failure = (await failing.catch((e: unknown) => e)) as SendFailedError;
    expect(failure).toBeInstanceOf(SendFailedError);
    expect(failure.event.seq).toBe(2);
    await expect(queued).rejects.toMatchObject({ code: EmitterErrorCode.SessionBlocked });
    await expect(emitter.emit(sessionId, later[2].type, later[2].data)).rejects.toMatchObject({
      code: EmitterErrorCode.SessionBlocked,
    });
    expect(emitter.lastSeq(sessionId)).toBe(2);

    log.autoAcknowledge = true;
    await emitter.resend(failure.event);
    const { event: next } = await emitter.emit(sessionId, later[1].type, later[1].data);
    expect(next.seq).toBe(3);
    expect(log.appended.map(({ seq }) => seq)).toEqual([1, 2, 3]);
    expect(log.appended[1]).toBe(failure.event);
  });

  it('lets a caller that knows the failed event never landed take its seq back', async () => {
    const sessionId = emitter.openSession();
    await emitter.emit(sessionId, created.type, created.data);
    log.autoAcknowledge = false;
    const failing = emitter.emit(sessionId, later[0].type, later[0].data);
    await settled();
    log.settleNext(new Error('record too large'));
    await expect(failing).rejects.toBeInstanceOf(SendFailedError);

    expect(() => emitter.resumeSession(sessionId, 0)).toThrow(
      expect.objectContaining({ code: EmitterErrorCode.SeqRegression }),
    );
    emitter.resumeSession(sessionId, 1);
    log.autoAcknowledge = true;
    expect((await emitter.emit(sessionId, later[1].type, later[1].data)).event.seq).toBe(2);
  });

  it('refuses to resend an event it never emitted', async () => {
    const sessionId = emitter.openSession();
    await expect(emitter.resend({ ...created, session_id: sessionId, seq: 1 })).rejects.toMatchObject({
      code: EmitterErrorCode.SeqRegression,
    });
  });

  it('forgets a closed session', async () => {
    const sessionId = emitter.openSession();
    emitter.closeSession(sessionId);
    expect(emitter.lastSeq(sessionId)).toBeUndefined();
    await expect(emitter.emit(sessionId, created.type, created.data)).rejects.toMatchObject({
      code: EmitterErrorCode.SessionNotOwned,
    });
  });
});

/** A log that fails its first appends with the given errors, then acknowledges; counts every attempt. */
class FlakyEventLog extends EventLog {
  readonly appended: SessionEvent[] = [];
  attempts = 0;

  constructor(readonly failures: (() => Error)[]) {
    super();
  }

  async append(events: readonly SessionEvent[]): Promise<LogPosition> {
    this.attempts += 1;
    const failure = this.failures.shift();
    if (failure) throw failure();
    this.appended.push(...events);
    return new Map([[0, this.appended.length]]);
  }
}

const brokerDown = () =>
  new KafkaError(KafkaErrorCode.BrokerUnavailable, 'Kafka failed producing: ECONNREFUSED');
const alwaysDown = () => Array.from({ length: 1000 }, () => brokerDown);

describe(`${SessionEmitter.name} through a broker outage`, () => {
  it('sends again while the broker is unavailable, and resolves once it answers', async () => {
    const log = new FlakyEventLog([brokerDown, brokerDown]);
    const emitter = new SessionEmitter({ log, clock: () => NOW, sendRetryMs: 60_000 });
    const sessionId = emitter.openSession();
    await expect(emitter.emit(sessionId, created.type, created.data)).resolves.toMatchObject({
      event: { seq: 1 },
    });
    expect(log.attempts).toBe(3);
    expect(log.appended.map(({ seq }) => seq)).toEqual([1]);
  });

  it('gives up with SendFailedError once sendRetryMs has passed, and the resend then goes through', async () => {
    const log = new FlakyEventLog(alwaysDown());
    const emitter = new SessionEmitter({ log, clock: () => NOW, sendRetryMs: 300 });
    const sessionId = emitter.openSession();
    const failure = await emitter
      .emit(sessionId, created.type, created.data)
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SendFailedError);
    expect(log.attempts).toBeGreaterThan(1);
    expect(log.attempts).toBeLessThan(1000);

    log.failures.length = 0;
    await emitter.resend((failure as SendFailedError).event);
    expect(log.appended.map(({ seq }) => seq)).toEqual([1]);
  });

  it('sends once when sendRetryMs is 0', async () => {
    const log = new FlakyEventLog(alwaysDown());
    const emitter = new SessionEmitter({ log, clock: () => NOW, sendRetryMs: 0 });
    const sessionId = emitter.openSession();
    await expect(emitter.emit(sessionId, created.type, created.data)).rejects.toBeInstanceOf(SendFailedError);
    expect(log.attempts).toBe(1);
  });

  it('never retries a refusal', async () => {
    const log = new FlakyEventLog([() => new KafkaError(KafkaErrorCode.RecordTooLarge, 'too large')]);
    const emitter = new SessionEmitter({ log, clock: () => NOW, sendRetryMs: 60_000 });
    const sessionId = emitter.openSession();
    await expect(emitter.emit(sessionId, created.type, created.data)).rejects.toBeInstanceOf(SendFailedError);
    expect(log.attempts).toBe(1);
  });

  it('refuses a negative bound', () => {
    expect(() => new SessionEmitter({ log: new FlakyEventLog([]), sendRetryMs: -1 })).toThrow(RangeError);
  });
});
