import { SessionEvent } from '@app/domain';
import { ArchiveScanOptions, EventArchive } from '@app/ports';
import { realisticHistory, sessionEvents, timestampAt, uuidFor } from '../factories/session-events';
import { contractCases, DeclaredDeviations, delay, uniqueSessionId } from './contract-support';

export interface EventArchiveHarness {
  archive: EventArchive;
  cleanup(): Promise<void>;
}

/**
 * The behaviour every EventArchive adapter shares, conflict classification included: every adapter must give the
 * same answer as classifyArchiveAppend. `makeArchive` runs before each test and must return an empty archive;
 * `cleanup` runs after it. `deviations` names the cases a stand-in server is known to fail, with the reason.
 */
export function eventArchiveContract(
  name: string,
  makeArchive: () => Promise<EventArchiveHarness>,
  deviations: DeclaredDeviations = {},
): void {
  describe(`EventArchive contract: ${name}`, () => {
    const it = contractCases(name, deviations);
    let harness: EventArchiveHarness;
    let archive: EventArchive;

    beforeEach(async () => {
      harness = await makeArchive();
      archive = harness.archive;
    });
    afterEach(() => harness.cleanup());

    const history = (sessionId: string, range: Partial<Parameters<EventArchive['history']>[1]> = {}) =>
      archive.history(sessionId, { limit: 1000, ...range });

    /** Every event a full scan returns, following cursors page by page. */
    const scanAll = async (options: Omit<ArchiveScanOptions, 'cursor'>) => {
      const events: SessionEvent[] = [];
      let cursor: string | null = null;
      do {
        const page = await archive.scan({ ...options, cursor });
        expect(page.events.length).toBeLessThanOrEqual(options.limit);
        events.push(...page.events);
        cursor = page.cursor;
      } while (cursor !== null);
      return events;
    };

    const byPosition = (a: SessionEvent, b: SessionEvent) =>
      a.session_id === b.session_id ? a.seq - b.seq : a.session_id < b.session_id ? -1 : 1;

    describe('append', () => {
      it('stores new events and counts them', async () => {
        const events = realisticHistory(uniqueSessionId());
        expect(await archive.append(events)).toEqual({ stored: events.length, duplicates: 0, conflicts: [] });
        expect(await archive.count()).toBe(events.length);
        expect(await history(events[0].session_id)).toEqual(events);
      });

      it('treats a redelivered event as a duplicate and stores it once', async () => {
        const events = realisticHistory(uniqueSessionId()).slice(0, 4);
        await archive.append(events.slice(0, 2));
        expect(await archive.append(events)).toEqual({ stored: 2, duplicates: 2, conflicts: [] });
        expect(await archive.count()).toBe(4);
        expect(await history(events[0].session_id)).toEqual(events);
      });

      it('stores an event repeated within one batch once', async () => {
        const [created] = sessionEvents(uniqueSessionId()).created().events;
        expect(await archive.append([created, created])).toEqual({ stored: 1, duplicates: 1, conflicts: [] });
        expect(await archive.count()).toBe(1);
      });

      it('refuses another event at a taken seq, naming the holder, and stores the rest', async () => {
        const sessionId = uniqueSessionId();
        const builder = sessionEvents(sessionId).created().runStarted();
        await archive.append(builder.events);
        const impostor = { ...builder.events[1], event_id: uuidFor(`${sessionId}-impostor`) };
        const next = builder.runStopped('completed').last;
        const result = await archive.append([impostor, next]);
        expect(result).toEqual({
          stored: 1,
          duplicates: 0,
          conflicts: [{ event: impostor, reason: 'seq_taken', existingEventId: builder.events[1].event_id }],
        });
        expect(await history(sessionId)).toEqual(builder.events);
      });

      it('refuses a reused event_id at another position', async () => {
        const first = sessionEvents(uniqueSessionId()).created().last;
        await archive.append([first]);
        const reused = { ...sessionEvents(uniqueSessionId()).created().last, event_id: first.event_id };
        const result = await archive.append([reused]);
        expect(result).toEqual({
          stored: 0,
          duplicates: 0,
          conflicts: [{ event: reused, reason: 'event_id_taken', existingEventId: first.event_id }],
        });
        expect(await history(reused.session_id)).toEqual([]);
        expect(await archive.count()).toBe(1);
      });

      it('answers an event whose seq is held by one event and whose id by another with event_id_taken', async () => {
        const sessionId = uniqueSessionId();
        const builder = sessionEvents(sessionId).created().runStarted();
        const elsewhere = sessionEvents(uniqueSessionId()).created().last;
        await archive.append([...builder.events, elsewhere]);
        const doubleCollision = { ...builder.events[1], event_id: elsewhere.event_id };

        expect(await archive.append([doubleCollision])).toEqual({
          stored: 0,
          duplicates: 0,
          conflicts: [
            { event: doubleCollision, reason: 'event_id_taken', existingEventId: elsewhere.event_id },
          ],
        });
        expect(await history(sessionId)).toEqual(builder.events);
      });

      it('answers a double collision within one batch as it answers one against stored events', async () => {
        const sessionId = uniqueSessionId();
        const [created, started] = sessionEvents(sessionId).created().runStarted().events;
        const doubleCollision = { ...started, event_id: created.event_id };

        expect(await archive.append([created, started, doubleCollision])).toEqual({
          stored: 2,
          duplicates: 0,
          conflicts: [
            { event: doubleCollision, reason: 'event_id_taken', existingEventId: created.event_id },
          ],
        });
        expect(await history(sessionId)).toEqual([created, started]);
      });

      it('refuses different content under an archived event id and place, and takes reordered keys as a retry', async () => {
        const sessionId = uniqueSessionId();
        const [created, started] = sessionEvents(sessionId).created().runStarted().events;
        await archive.append([created, started]);
        const edited = { ...started, data: { reply_id: 'another-reply' } } as SessionEvent;
        const { data, ...envelope } = started;
        const reordered = { data, ...envelope } as SessionEvent;

        expect(await archive.append([edited, reordered])).toEqual({
          stored: 0,
          duplicates: 1,
          conflicts: [{ event: edited, reason: 'content_differs', existingEventId: started.event_id }],
        });
        expect(await history(sessionId)).toEqual([created, started]);
      });

      it('keeps the first of two contents sent under one event id and place in one batch', async () => {
        const sessionId = uniqueSessionId();
        const created = sessionEvents(sessionId).created().last;
        const edited = { ...created, data: { ...created.data, agent_id: 'another-agent' } } as SessionEvent;
        const result = await archive.append([created, edited]);
        expect(result).toEqual({
          stored: 1,
          duplicates: 0,
          conflicts: [{ event: edited, reason: 'content_differs', existingEventId: created.event_id }],
        });
        expect(await history(sessionId)).toEqual([created]);
      });

      it('keeps one of two events that claim the same seq in one batch', async () => {
        const sessionId = uniqueSessionId();
        const created = sessionEvents(sessionId).created().last;
        const rival = { ...created, event_id: uuidFor(`${sessionId}-rival`) };
        const result = await archive.append([created, rival]);
        expect(result.stored).toBe(1);
        expect(result.conflicts).toHaveLength(1);
        expect(result.conflicts[0].reason).toBe('seq_taken');
        expect(await history(sessionId)).toHaveLength(1);
      });

      it('accepts an empty batch', async () => {
        expect(await archive.append([])).toEqual({ stored: 0, duplicates: 0, conflicts: [] });
      });
    });

    describe('history', () => {
      it("returns one session's events in seq order, whatever the order they were appended in", async () => {
        const sessionId = uniqueSessionId();
        const events = realisticHistory(sessionId);
        const other = realisticHistory(uniqueSessionId());
        await archive.append([...events.slice(5)].reverse());
        await archive.append(other);
        await archive.append(events.slice(0, 5));
        expect(await history(sessionId)).toEqual(events);
      });

      it('returns nothing for an unknown session', async () => {
        expect(await history(uniqueSessionId())).toEqual([]);
      });

      it('pages with an exclusive afterSeq and a limit', async () => {
        const events = realisticHistory(uniqueSessionId());
        await archive.append(events);
        const sessionId = events[0].session_id;
        expect(await history(sessionId, { limit: 3 })).toEqual(events.slice(0, 3));
        expect(await history(sessionId, { afterSeq: 3, limit: 3 })).toEqual(events.slice(3, 6));
        expect(await history(sessionId, { afterSeq: events.length, limit: 3 })).toEqual([]);
      });

      it('stops at an inclusive untilSeq', async () => {
        const events = realisticHistory(uniqueSessionId());
        await archive.append(events);
        const sessionId = events[0].session_id;
        expect(await history(sessionId, { untilSeq: 4 })).toEqual(events.slice(0, 4));
        expect(await history(sessionId, { afterSeq: 2, untilSeq: 4 })).toEqual(events.slice(2, 4));
      });

      it('stops at an inclusive instant', async () => {
        const events = realisticHistory(uniqueSessionId());
        await archive.append(events);
        // The factories stamp seq n at start + n seconds.
        expect(await history(events[0].session_id, { until: timestampAt(6) })).toEqual(events.slice(0, 6));
        expect(await history(events[0].session_id, { until: timestampAt(0) })).toEqual([]);
      });
    });

    describe('scan', () => {
      it('returns every event once, ordered by session then seq, page by page', async () => {
        const sessions = ['c', 'a', 'b'].map((label) => realisticHistory(uniqueSessionId(label)).slice(0, 7));
        for (const events of sessions) await archive.append(events);
        const expected = sessions.flat().sort(byPosition);
        expect(await scanAll({ limit: 4 })).toEqual(expected);
        expect(await scanAll({ limit: 1000 })).toEqual(expected);
      });

      it('returns an empty page with a null cursor on an empty archive', async () => {
        expect(await archive.scan({ cursor: null, limit: 10 })).toEqual({ events: [], cursor: null });
      });

      it('resumes from a cursor without repeating or skipping events appended meanwhile', async () => {
        const a = realisticHistory(uniqueSessionId('a')).slice(0, 6);
        await archive.append(a);
        const first = await archive.scan({ cursor: null, limit: 3 });
        expect(first.events).toEqual(a.slice(0, 3));
        expect(first.cursor).not.toBeNull();
        const z = realisticHistory(uniqueSessionId('z')).slice(0, 2);
        await archive.append(z);
        const rest: SessionEvent[] = [];
        let cursor = first.cursor;
        while (cursor !== null) {
          const page = await archive.scan({ cursor, limit: 3 });
          rest.push(...page.events);
          cursor = page.cursor;
        }
        expect(rest).toEqual([...a.slice(3), ...z]);
      });

      it('keeps only events archived at or after archivedSince', async () => {
        const before = realisticHistory(uniqueSessionId('before')).slice(0, 3);
        await archive.append(before);
        await delay(20);
        const since = new Date();
        await delay(20);
        const after = realisticHistory(uniqueSessionId('after')).slice(0, 3);
        const alsoAfter = realisticHistory(before[0].session_id).slice(3, 5);
        await archive.append([...after, ...alsoAfter]);
        const expected = [...after, ...alsoAfter].sort(byPosition);
        expect(await scanAll({ limit: 2, archivedSince: since })).toEqual(expected);
        expect(await archive.count()).toBe(8);
      });
    });
  });
}
