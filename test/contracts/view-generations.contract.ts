import { FOLD_VERSION } from '@app/domain';
import { currentViewStamp, GenerationRetiredError, ViewGenerations } from '@app/ports';
import { projectionOf, uniqueSessionId } from './contract-support';

export interface ViewGenerationsHarness {
  generations: ViewGenerations;
  /** A new adapter instance over the same storage, as after a restart. */
  reopen(): Promise<ViewGenerations>;
  cleanup(): Promise<void>;
}

/**
 * The behaviour every ViewGenerations adapter shares. `makeGenerations` runs before each test and must return
 * adapters over empty storage (no generation, no pointer yet); `cleanup` runs after it.
 */
export function viewGenerationsContract(
  name: string,
  makeGenerations: () => Promise<ViewGenerationsHarness>,
): void {
  describe(`ViewGenerations contract: ${name}`, () => {
    let harness: ViewGenerationsHarness;
    let generations: ViewGenerations;

    beforeEach(async () => {
      harness = await makeGenerations();
      generations = harness.generations;
    });
    afterEach(() => harness.cleanup());

    const insertInto = async (generation: string) => {
      const projection = projectionOf(uniqueSessionId());
      await generations.store(generation).writeMany([{ projection, expectedVersion: null }]);
      return projection;
    };

    it('creates the active generation on first use and keeps naming the same one', async () => {
      const active = await generations.active();
      expect(typeof active).toBe('string');
      expect(active.length).toBeGreaterThan(0);
      expect(await generations.active()).toBe(active);
      expect(await generations.list()).toEqual([active]);
    });

    it('creates empty generations with distinct names that do not serve until activated', async () => {
      const active = await generations.active();
      await insertInto(active);
      const first = await generations.create();
      const second = await generations.create();
      expect(new Set([active, first, second]).size).toBe(3);
      expect([...(await generations.list())].sort()).toEqual([active, first, second].sort());
      expect(await generations.active()).toBe(active);
      const page = await generations
        .store(first)
        .list({ userId: 'user-1', agentId: 'agent-1', limit: 10, offset: 0 });
      expect(page).toEqual({ items: [], total: 0 });
    });

    it('keeps the views of each generation apart', async () => {
      const active = await generations.active();
      const fresh = await generations.create();
      const inActive = await insertInto(active);
      const inFresh = await insertInto(fresh);
      expect(await generations.store(active).get(inFresh.session_id)).toBeNull();
      expect(await generations.store(fresh).get(inActive.session_id)).toBeNull();
      expect(await generations.store(fresh).get(inFresh.session_id)).toEqual(inFresh);
    });

    it('switches the active generation and returns the one it replaced', async () => {
      const previous = await generations.active();
      const next = await generations.create();
      const projection = await insertInto(next);
      expect(await generations.activate(next)).toBe(previous);
      expect(await generations.active()).toBe(next);
      expect(await generations.store(await generations.active()).get(projection.session_id)).toEqual(
        projection,
      );
    });

    it('keeps the pointer and the views across a restart', async () => {
      await generations.active();
      const next = await generations.create();
      const projection = await insertInto(next);
      await generations.activate(next);
      const reopened = await harness.reopen();
      expect(await reopened.active()).toBe(next);
      expect(await reopened.store(next).get(projection.session_id)).toEqual(projection);
    });

    it('drops a generation that no longer serves, with its views', async () => {
      const old = await generations.active();
      await insertInto(old);
      const next = await generations.create();
      await generations.activate(next);
      await generations.drop(old);
      expect(await generations.list()).toEqual([next]);
      expect(await generations.active()).toBe(next);
    });

    it('refuses to drop the active generation', async () => {
      const active = await generations.active();
      const projection = await insertInto(active);
      await expect(generations.drop(active)).rejects.toThrow();
      expect(await generations.list()).toEqual([active]);
      expect(await generations.store(active).get(projection.session_id)).toEqual(projection);
    });

    it("stamps every generation with this build's fold version and shape", async () => {
      const active = await generations.active();
      const created = await generations.create();
      expect(await generations.stamp(active)).toEqual(currentViewStamp());
      expect(await generations.stamp(created)).toEqual(currentViewStamp());
      expect(currentViewStamp().foldVersion).toBe(FOLD_VERSION);
    });

    it('retires a generation that served once another replaces it, and returns it to service on rollback', async () => {
      const old = await generations.active();
      const next = await generations.create();
      const written = await insertInto(next);
      await generations.activate(next);

      const refused = projectionOf(uniqueSessionId());
      await expect(
        generations.store(old).writeMany([{ projection: refused, expectedVersion: null }]),
      ).rejects.toThrow(GenerationRetiredError);
      expect(await generations.store(old).get(refused.session_id)).toBeNull();
      expect(await generations.store(next).get(written.session_id)).toEqual(written);

      await generations.activate(old);
      await insertInto(old);
      await expect(
        generations.store(next).writeMany([{ projection: refused, expectedVersion: null }]),
      ).rejects.toThrow(GenerationRetiredError);
    });

    it('refuses to activate a generation that does not exist', async () => {
      const active = await generations.active();
      await expect(generations.activate(`${active}-missing`)).rejects.toThrow();
      expect(await generations.active()).toBe(active);
    });
  });
}
