import { foldEvents, SessionEvent } from '@app/domain';
import {
  currentViewStamp,
  EventArchive,
  REBUILD_COMMAND,
  RebuildRequiredError,
  ViewGenerations,
} from '@app/ports';
import { foldIntoStore, groupBySession, writeToActiveGeneration } from '@app/projection';
import { SessionHistory, ViewRebuilder, ViewVerifier } from '@app/replay';
import { realisticHistory, sessionEvent, sessionEvents } from '../factories/session-events';
import { uniqueSessionId } from './contract-support';

export interface ReplayHarness {
  archive: EventArchive;
  generations: ViewGenerations;
  /**
   * Makes the active generation look as if an older build made it (another fold version or an older layout, as the
   * adapter stores it); returns its name.
   */
  markActiveGenerationStale(): Promise<string>;
  cleanup(): Promise<void>;
}

/**
 * Audit and replay over one storage technology: rebuild, verify and time travel read only the archive and must agree
 * with what the projector stored. `makeStorage` returns empty storage before each test.
 */
export function replayBehaviour(name: string, makeStorage: () => Promise<ReplayHarness>): void {
  describe(`replay: ${name}`, () => {
    let harness: ReplayHarness;
    let histories: SessionEvent[][];

    /** What the projector does with a batch: archive, then fold into the active generation. */
    const project = async (events: SessionEvent[]) => {
      await harness.archive.append(events);
      await writeToActiveGeneration(harness.generations, (store) =>
        foldIntoStore(
          store,
          groupBySession(events, (event) => event),
        ),
      );
    };

    const activeStore = async () => harness.generations.store(await harness.generations.active());

    beforeEach(async () => {
      harness = await makeStorage();
      histories = [
        realisticHistory(uniqueSessionId('rich'), 'user-1', 'agent-1'),
        sessionEvents(uniqueSessionId('short'), 'user-2', 'agent-1').created().runStarted().events,
        sessionEvents(uniqueSessionId('gone'), 'user-1', 'agent-2')
          .created()
          .runStarted()
          .runStopped()
          .deleted().events,
      ];
      await project(histories.flat());
    });
    afterEach(() => harness.cleanup());

    it('rebuilds views identical to the live ones into a new generation and switches to it', async () => {
      const before = await harness.generations.active();
      const live = await (await activeStore()).getMany(histories.map((events) => events[0].session_id));
      const progress: number[] = [];

      const result = await new ViewRebuilder(harness.archive, harness.generations).rebuild({
        pageSize: 7,
        onProgress: (p) => progress.push(p.done),
      });

      expect(result).toMatchObject({ previous: before, events: histories.flat().length, sessions: 3 });
      expect(await harness.generations.active()).toBe(result.generation);
      expect(result.generation).not.toBe(before);
      const rebuilt = await (await activeStore()).getMany([...live.keys()]);
      expect(rebuilt).toEqual(live);
      expect(progress.at(-1)).toBe(histories.flat().length);
      expect(await harness.generations.list()).toEqual(expect.arrayContaining([before, result.generation]));
    });

    it('keeps serving the old views while the rebuild runs', async () => {
      const sessionId = histories[0][0].session_id;
      const misses: string[] = [];
      let rebuilding = true;
      const reader = (async () => {
        while (rebuilding) {
          const view = await (await activeStore()).get(sessionId);
          if (!view) misses.push(await harness.generations.active());
          await new Promise((resolve) => setImmediate(resolve));
        }
      })();

      await new ViewRebuilder(harness.archive, harness.generations).rebuild({ pageSize: 3 });
      rebuilding = false;
      await reader;

      expect(misses).toEqual([]);
    });

    it('folds events archived after the scan into the new generation', async () => {
      const earlier = histories[1];
      const late = sessionEvent(
        'session.run_stopped',
        { reason: 'completed' },
        { session_id: earlier[0].session_id, seq: earlier.length + 1 },
      );
      let arrival: Promise<void> | undefined;
      await new ViewRebuilder(harness.archive, harness.generations).rebuild({
        pageSize: 2,
        // The scan has read everything it counted; the projector now stores an event in the old generation.
        onProgress: (progress) => {
          if (progress.done === progress.total) arrival ??= project([late]);
        },
      });
      await arrival;

      expect(arrival).toBeDefined();
      const view = await (await activeStore()).get(late.session_id);
      expect(view).toEqual(foldEvents(undefined, [...earlier, late]).projection);
    });

    it('fences a batch that read the old generation and writes after the switch: refused there, applied to the new one', async () => {
      const earlier = histories[1];
      const sessionId = earlier[0].session_id;
      const late = sessionEvent(
        'session.run_stopped',
        { reason: 'completed' },
        { session_id: sessionId, seq: earlier.length + 1 },
      );
      const old = await harness.generations.active();
      let rebuild: Promise<unknown> | undefined;
      const fenced: string[] = [];

      // The batch has read the pointer; it then stalls until the rebuild has switched and finished, longer than
      // any grace period, and only then archives and writes.
      await writeToActiveGeneration(
        harness.generations,
        async (store) => {
          if (rebuild === undefined) {
            rebuild = new ViewRebuilder(harness.archive, harness.generations).rebuild({ pageSize: 2 });
            await rebuild;
          }
          await harness.archive.append([late]);
          return foldIntoStore(store, new Map([[sessionId, [late]]]));
        },
        (retired) => fenced.push(retired),
      );

      expect(fenced).toEqual([old]);
      expect(await harness.generations.active()).not.toBe(old);
      expect(await (await activeStore()).get(sessionId)).toEqual(
        foldEvents(undefined, [...earlier, late]).projection,
      );
      expect(await harness.generations.store(old).get(sessionId)).toEqual(
        foldEvents(undefined, earlier).projection,
      );
    });

    it('refuses to write into a generation built by another fold version or shape, naming the rebuild', async () => {
      const stale = await harness.markActiveGenerationStale();
      const next = sessionEvent(
        'session.run_stopped',
        { reason: 'completed' },
        {
          session_id: histories[1][0].session_id,
          seq: histories[1].length + 1,
        },
      );

      await expect(project([next])).rejects.toThrow(RebuildRequiredError);
      await expect(project([next])).rejects.toThrow(`rebuild required: view generation ${stale}`);
      await expect(project([next])).rejects.toThrow(REBUILD_COMMAND);

      const result = await new ViewRebuilder(harness.archive, harness.generations).rebuild();
      expect(await harness.generations.stamp(result.generation)).toEqual(currentViewStamp());
      await project([next]);
      expect(await (await activeStore()).get(next.session_id)).toEqual(
        foldEvents(undefined, [...histories[1], next]).projection,
      );
    });

    it('verify passes on a clean store and names the session and field of an injected corruption', async () => {
      const verifier = new ViewVerifier(harness.archive, harness.generations);
      expect((await verifier.verify({ kind: 'all' })).mismatches).toEqual([]);

      const store = await activeStore();
      const victim = (await store.get(histories[0][0].session_id))!;
      const corrupted = {
        ...victim,
        view: { ...victim.view, session: { ...victim.view.session, agent_id: 'tampered' } },
      };
      await store.writeMany([{ projection: corrupted, expectedVersion: victim.version }]);

      const all = await verifier.verify({ kind: 'all' });
      expect(all.sessionsChecked).toBe(3);
      expect(all.mismatches).toEqual([
        {
          sessionId: victim.session_id,
          differences: ['view.session.agent_id: stored "tampered", expected "agent-1"'],
        },
      ]);
      const one = await verifier.verify({ kind: 'session', sessionId: victim.session_id });
      expect(one.mismatches).toHaveLength(1);
      const sample = await verifier.verify({ kind: 'sample', percent: 100 });
      expect(sample.mismatches).toHaveLength(1);
    });

    it('time travel at every seq equals folding that prefix, and at an instant the events before it', async () => {
      const history = new SessionHistory(harness.archive, harness.generations);
      const events = histories[0];
      for (let seq = 1; seq <= events.length; seq += 1) {
        expect(await history.stateAt(events[0].session_id, { atSeq: seq })).toEqual(
          foldEvents(undefined, events.slice(0, seq)).projection,
        );
      }
      const middle = events[Math.floor(events.length / 2)];
      const atInstant = await history.stateAt(middle.session_id, { at: middle.occurred_at });
      expect(atInstant?.version).toBe(middle.seq);
      expect(await history.stateAt(middle.session_id, { at: '2000-01-01T00:00:00Z' })).toBeUndefined();
    });

    it('pages a session history in seq order', async () => {
      const history = new SessionHistory(harness.archive, harness.generations);
      const sessionId = histories[0][0].session_id;
      const first = await history.events(sessionId, { afterSeq: 0, limit: 5 });
      const second = await history.events(sessionId, { afterSeq: first.at(-1)!.seq, limit: 5 });
      expect([...first, ...second].map((event) => event.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    });
  });
}
