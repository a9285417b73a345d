import { SessionEvent } from '@app/domain';
import { EventLog } from '@app/ports';
import { realisticHistory } from '../factories/session-events';
import { eventually, uniqueSessionId } from './contract-support';

export interface EventLogHarness {
  log: EventLog;
  /** Every event the log holds, as its consumer (a Kafka consumer, the SQLite tailer) reads it, in log order. */
  appended(): Promise<SessionEvent[]>;
  cleanup(): Promise<void>;
}

/**
 * The behaviour every EventLog adapter shares: what `append` resolved for can be read back by the projector, each
 * session's events in the order they were appended. `makeLog` runs before each test and must return an empty log.
 */
export function eventLogContract(name: string, makeLog: () => Promise<EventLogHarness>): void {
  describe(`EventLog contract: ${name}`, () => {
    let harness: EventLogHarness;

    beforeEach(async () => {
      harness = await makeLog();
    });
    afterEach(() => harness.cleanup());

    const ofSession = (events: SessionEvent[], sessionId: string) =>
      events.filter((event) => event.session_id === sessionId);

    it('makes appended events readable, each session in append order', async () => {
      const a = realisticHistory(uniqueSessionId('a'));
      const b = realisticHistory(uniqueSessionId('b'));
      await harness.log.append([...a.slice(0, 4), ...b.slice(0, 2)]);
      await harness.log.append([...b.slice(2), ...a.slice(4)]);
      const appended = await eventually(async () => {
        const found = await harness.appended();
        expect(found).toHaveLength(a.length + b.length);
        return found;
      });
      expect(ofSession(appended, a[0].session_id)).toEqual(a);
      expect(ofSession(appended, b[0].session_id)).toEqual(b);
    });

    it('accepts an empty append', async () => {
      await harness.log.append([]);
      const marker = realisticHistory(uniqueSessionId()).slice(0, 1);
      await harness.log.append(marker);
      const appended = await eventually(async () => {
        const found = await harness.appended();
        expect(found).toHaveLength(1);
        return found;
      });
      expect(appended).toEqual(marker);
    });
  });
}
