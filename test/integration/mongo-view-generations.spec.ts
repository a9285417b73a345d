import { MongoStoreErrorCode, MongoViewGenerations } from '@app/mongo';
import { viewGenerationsContract } from '../contracts/view-generations.contract';
import { mongoTargets } from '../support/infra';
import { mongoSuite } from '../support/mongo-suite';

describe.each(mongoTargets())('MongoViewGenerations on $name', (target) => {
  const mongo = mongoSuite(target);

  /** A database per test: generations live in fixed collections, and each test starts with none. */
  const freshGenerations = async () => {
    const db = mongo.newDatabase('generations');
    return {
      db,
      generations: new MongoViewGenerations(db),
      reopen: async () => new MongoViewGenerations(db),
      cleanup: async () => {
        await db.dropDatabase();
      },
    };
  };

  viewGenerationsContract(target.name, freshGenerations);

  describe('beyond the contract', () => {
    let harness: Awaited<ReturnType<typeof freshGenerations>>;
    beforeEach(async () => {
      harness = await freshGenerations();
    });
    afterEach(() => harness.cleanup());

    it('gives callers racing on first use one and the same active generation', async () => {
      const racers = Array.from({ length: 8 }, () => new MongoViewGenerations(harness.db));
      const actives = await Promise.all(racers.map((generations) => generations.active()));
      expect(new Set(actives)).toEqual(new Set(['session_views_1']));
      expect(await harness.generations.list()).toEqual(['session_views_1']);
    });

    it('hands out distinct numbered generations to concurrent creators', async () => {
      const created = await Promise.all(Array.from({ length: 5 }, () => harness.generations.create()));
      const expected = [2, 3, 4, 5, 6].map((n) => `session_views_${n}`);
      expect([...created].sort()).toEqual(expected);
      expect(await harness.generations.list()).toEqual(expected);
    });

    it('keeps the pointer in one document that names the active collection', async () => {
      const next = await harness.generations.create();
      await harness.generations.activate(next);
      const pointers = harness.db.collection<{ _id: string; generation: string }>('view_generations');
      const pointer = await pointers.findOne({ _id: 'active' });
      expect(pointer).toEqual({ _id: 'active', generation: next });
    });

    it('creates every generation with a list index per order', async () => {
      const active = await harness.generations.active();
      const created = await harness.generations.create();
      for (const generation of [active, created]) {
        const indexes = await harness.db.collection(generation).listIndexes().toArray();
        expect(indexes.map(({ name }) => name)).toEqual(
          expect.arrayContaining(['list_by_created', 'list_by_updated']),
        );
      }
    });

    it('refuses to touch a collection that is not a generation', async () => {
      await harness.db.collection('session_events').insertOne({ kept: true });
      const notAGeneration = expect.objectContaining({ code: MongoStoreErrorCode.UnknownGeneration });
      expect(() => harness.generations.store('session_events')).toThrow(notAGeneration);
      await expect(harness.generations.drop('session_events')).rejects.toThrow(notAGeneration);
      await expect(harness.generations.activate('session_events')).rejects.toThrow(notAGeneration);
      expect(await harness.db.collection('session_events').countDocuments()).toBe(1);
    });

    it('drops a generation twice without complaint', async () => {
      await harness.generations.active();
      const spare = await harness.generations.create();
      await harness.generations.drop(spare);
      await harness.generations.drop(spare);
      expect(await harness.generations.list()).toEqual(['session_views_1']);
    });
  });
});
