import { DeadLetter, DeadLetterReason, DeadLetterSink } from '@app/ports';
import { eventually, uniqueSessionId } from './contract-support';

export interface DeadLetterSinkHarness {
  sink: DeadLetterSink;
  /** Every letter the sink has made durable, as an operator reading the dead-letter destination finds it. */
  delivered(): Promise<DeadLetter[]>;
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
  });
}
