import { DeadLetter, DeadLetterReason, DeadLetterSink, StoredDeadLetter } from '@app/ports';
import { SessionEvent, SessionProjection } from '@app/domain';
import { ProjectionEngine } from '@app/projection';
import { DeadLetterRedrive, RedriveErrorCode } from '@app/recovery';
import { Registry } from 'prom-client';
import { realisticHistory } from '../factories/session-events';
import { eventually, uniqueSessionId } from './contract-support';

export interface DeadLetterSinkHarness {
  sink: DeadLetterSink;
  /** Every letter the sink has made durable, as an operator reading the dead-letter destination finds it. */
  delivered(): Promise<DeadLetter[]>;
  /** An id of the right form that names no letter. */
  unknownId: string;
  cleanup(): Promise<void>;
}

/**
 * The behaviour every DeadLetterSink adapter shares. `makeSink` runs before each test and must return a sink with
 * nothing delivered yet; `cleanup` runs after it.
 */
export function deadLetterSinkContract(name: string, makeSink: () => Promise<DeadLetterSinkHarness>): void {
  describe(`DeadLetterSink contract: ${name}`, () => {
    let harness: DeadLetterSinkHarness;

    beforeEach(async () => {
      harness = await makeSink();
    });
    afterEach(() => harness.cleanup());

    const byDetail = (a: DeadLetter, b: DeadLetter) => a.detail.localeCompare(b.detail);

    it('keeps the payload byte for byte with its reason, detail, source and identifiers', async () => {
      const sessionId = uniqueSessionId();
      const letters: DeadLetter[] = [
        {
          // Not even UTF-8: the original bytes must survive untouched so the record can be re-published.
          payload: Buffer.from([0x7b, 0xff, 0x00, 0xfe, 0x7d]),
          key: sessionId,
          reason: DeadLetterReason.InvalidEvent,
          detail: '(record): invalid JSON',
          source: { topic: 'session-events', partition: 3, offset: '1042' },
        },
        {
          payload: Buffer.from(
            JSON.stringify({ session_id: sessionId, seq: 2, type: 'session.run_started' }),
          ),
          key: sessionId,
          reason: DeadLetterReason.FoldRejected,
          detail: 'session_not_created: session.run_started (seq 2) before session.created',
          source: { topic: 'session-events', partition: 0, offset: '7' },
          sessionId,
          eventId: '0b7e7a52-3f0c-4c8e-9d43-1f6f1c2a9b10',
        },
      ];
      await harness.sink.send(letters);
      const delivered = await eventually(async () => {
        const found = await harness.delivered();
        expect(found).toHaveLength(2);
        return found;
      });
      const [invalid, rejected] = [...delivered].sort(byDetail);
      expect(invalid.payload.equals(letters[0].payload)).toBe(true);
      expect(invalid).toMatchObject({
        key: sessionId,
        reason: DeadLetterReason.InvalidEvent,
        detail: letters[0].detail,
        source: letters[0].source,
      });
      expect(invalid.sessionId).toBeUndefined();
      expect(invalid.eventId).toBeUndefined();
      expect(rejected.payload.equals(letters[1].payload)).toBe(true);
      expect(rejected).toMatchObject({
        key: sessionId,
        reason: DeadLetterReason.FoldRejected,
        detail: letters[1].detail,
        source: letters[1].source,
        sessionId,
        eventId: letters[1].eventId,
      });
    });

    it('keeps a record that had no key', async () => {
      await harness.sink.send([
        {
          payload: Buffer.from('{}'),
          key: null,
          reason: DeadLetterReason.ViewTooLarge,
          detail: 'applying seq 9 makes the view 17000000 bytes',
          source: { topic: 'events', offset: '9' },
        },
      ]);
      const [letter] = await eventually(async () => {
        const found = await harness.delivered();
        expect(found).toHaveLength(1);
        return found;
      });
      expect(letter.key).toBeNull();
      expect(letter.reason).toBe(DeadLetterReason.ViewTooLarge);
      expect(letter.source).toEqual({ topic: 'events', offset: '9' });
    });

    it('accumulates letters over several sends and accepts an empty one', async () => {
      const letter = (detail: string): DeadLetter => ({
        payload: Buffer.from(detail),
        key: null,
        reason: DeadLetterReason.ArchiveConflict,
        detail,
        source: { topic: 'session-events', partition: 1, offset: detail.slice(-1) },
      });
      await harness.sink.send([letter('conflict 1')]);
      await harness.sink.send([]);
      await harness.sink.send([letter('conflict 2'), letter('conflict 3')]);
      const delivered = await eventually(async () => {
        const found = await harness.delivered();
        expect(found).toHaveLength(3);
        return found;
      });
      expect(delivered.map((found) => found.detail).sort()).toEqual([
        'conflict 1',
        'conflict 2',
        'conflict 3',
      ]);
    });

    // One key per test, as a session's letters share one: Kafka keeps their order only within a partition.
    const fixture = (
      detail: string,
      reason: DeadLetterReason,
      key: string,
      sessionId?: string,
    ): DeadLetter => ({
      payload: Buffer.from(detail),
      key,
      reason,
      detail,
      source: { topic: 'session-events', partition: 0, offset: detail.length.toString() },
      ...(sessionId === undefined ? {} : { sessionId }),
    });

    const listed = (expected: number, query?: Parameters<DeadLetterSink['list']>[0]) =>
      eventually(async () => {
        const found = await harness.sink.list(query);
        expect(found).toHaveLength(expected);
        return found;
      });

    it('lists letters oldest first with an id and the time they failed, filtered by reason, session and limit', async () => {
      const sessionId = uniqueSessionId();
      await harness.sink.send([fixture('first', DeadLetterReason.FoldRejected, sessionId, sessionId)]);
      await harness.sink.send([fixture('second', DeadLetterReason.InvalidEvent, sessionId)]);
      await harness.sink.send([fixture('third', DeadLetterReason.FoldRejected, sessionId)]);
      const all = await listed(3);
      expect(all.map(({ detail }) => detail)).toEqual(['first', 'second', 'third']);
      expect(new Set(all.map(({ id }) => id)).size).toBe(3);
      for (const letter of all) expect(Number.isNaN(Date.parse(letter.failedAt))).toBe(false);
      expect(
        (await harness.sink.list({ reason: DeadLetterReason.FoldRejected })).map(({ detail }) => detail),
      ).toEqual(['first', 'third']);
      expect((await harness.sink.list({ sessionId })).map(({ detail }) => detail)).toEqual(['first']);
      expect((await harness.sink.list({ limit: 2 })).map(({ detail }) => detail)).toEqual([
        'first',
        'second',
      ]);
    });

    it('shows one letter by its id, and nothing for an unknown or malformed id', async () => {
      await harness.sink.send([fixture('shown', DeadLetterReason.ViewTooLarge, uniqueSessionId())]);
      const [letter] = await listed(1);
      const shown = (await harness.sink.show(letter.id)) as StoredDeadLetter;
      expect(shown).toMatchObject({ id: letter.id, detail: 'shown', reason: DeadLetterReason.ViewTooLarge });
      expect(shown.payload.equals(Buffer.from('shown'))).toBe(true);
      await expect(harness.sink.show(harness.unknownId)).resolves.toBeUndefined();
      await expect(harness.sink.show('../../etc')).resolves.toBeUndefined();
    });

    it('leaves a re-driven letter out of the listing unless asked for, with the time it was re-driven', async () => {
      const key = uniqueSessionId();
      await harness.sink.send([
        fixture('redriven', DeadLetterReason.FoldRejected, key),
        fixture('pending', DeadLetterReason.FoldRejected, key),
      ]);
      const [first] = await listed(2);
      const at = new Date('2026-01-02T03:04:05.000Z');
      await harness.sink.markRedriven(first.id, at);
      const pending = await listed(1);
      expect(pending.map(({ detail }) => detail)).toEqual(['pending']);
      const everything = await harness.sink.list({ includeRedriven: true });
      expect(everything.map(({ detail, redrivenAt }) => [detail, redrivenAt])).toEqual([
        ['redriven', at.toISOString()],
        ['pending', undefined],
      ]);
      expect((await harness.sink.show(first.id))?.redrivenAt).toBe(at.toISOString());
    });
  });
}

export interface DeadLetterRedriveHarness {
  sink: DeadLetterSink;
  /** The projector's engine on the same stores and sink. */
  engine: ProjectionEngine;
  redrive: DeadLetterRedrive;
  /** The registry the redrive's metrics are on. */
  registry: Registry;
  view(sessionId: string): Promise<SessionProjection | null>;
  cleanup(): Promise<void>;
}

/** Re-driving dead letters through the projection engine, on every pair of stores a profile runs. */
export function deadLetterRedriveContract(name: string, make: () => Promise<DeadLetterRedriveHarness>): void {
  describe(`dead-letter re-drive: ${name}`, () => {
    let harness: DeadLetterRedriveHarness;

    beforeEach(async () => {
      harness = await make();
    });
    afterEach(() => harness.cleanup());

    const record = (event: SessionEvent | string, key: string | null) => ({
      key,
      value: Buffer.from(typeof event === 'string' ? event : JSON.stringify(event)),
      source: { topic: 'session-events', partition: 0, offset: '0' },
    });
    const pending = (sessionId?: string) =>
      eventually(async () => {
        const found = await harness.sink.list(sessionId === undefined ? {} : { sessionId });
        expect(found.length).toBeGreaterThan(0);
        return found;
      });
    const redriven = async (outcome: string) => {
      const metrics = await harness.registry.getSingleMetricAsString('dead_letters_redriven_total');
      return Number(new RegExp(`outcome="${outcome}"} (\\d+)`).exec(metrics)?.[1] ?? 0);
    };

    it('projects a letter once what it depended on has arrived, and marks it re-driven', async () => {
      const sessionId = uniqueSessionId();
      const [created, started] = realisticHistory(sessionId);
      await harness.engine.process([record(started, sessionId)]);
      const [letter] = await pending(sessionId);
      expect(letter.reason).toBe(DeadLetterReason.FoldRejected);

      await harness.engine.process([record(created, sessionId)]);
      const result = await harness.redrive.redrive(letter.id);

      expect(result).toMatchObject({ outcome: 'projected', reasons: [] });
      expect((await harness.view(sessionId))?.version).toBe(2);
      expect(await harness.sink.list({ sessionId })).toEqual([]);
      expect((await harness.sink.show(letter.id))?.redrivenAt).toBeDefined();
      expect(await redriven('projected')).toBe(1);
      await expect(harness.redrive.redrive(letter.id)).rejects.toMatchObject({
        code: RedriveErrorCode.AlreadyRedriven,
      });
    });

    it('returns a letter that fails again to the dead letters as a new letter with its new reason', async () => {
      const sessionId = uniqueSessionId();
      const [, started] = realisticHistory(sessionId);
      await harness.engine.process([record(started, sessionId)]);
      const [letter] = await pending(sessionId);

      const result = await harness.redrive.redrive(letter.id);

      expect(result).toMatchObject({
        outcome: 'dead_lettered_again',
        reasons: [DeadLetterReason.FoldRejected],
      });
      const [again] = await pending(sessionId);
      expect(again.id).not.toBe(letter.id);
      expect(again.reason).toBe(DeadLetterReason.FoldRejected);
      expect(again.payload.equals(letter.payload)).toBe(true);
      expect(await redriven('dead_lettered_again')).toBe(1);
    });

    it('refuses an id that names no letter', async () => {
      await expect(harness.redrive.redrive('12345')).rejects.toMatchObject({
        code: RedriveErrorCode.NotFound,
      });
    });
  });
}
