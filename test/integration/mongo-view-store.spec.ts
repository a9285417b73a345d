import { SessionProjection } from '@app/domain';
import { MongoViewGenerations, MongoViewStore } from '@app/mongo';
import { GenerationRetiredError, listPaging, SessionListQuery } from '@app/ports';
import { Db, Document, MongoBulkWriteError, MongoServerError } from 'mongodb';
import { listFilter, listPageFilter, listSort, ViewDocument } from '../../libs/mongo/src/view-document';
import { DeclaredDeviations, projectionOf, uniqueSessionId } from '../contracts/contract-support';
import { viewStoreContract } from '../contracts/view-store.contract';
import { realisticProjection } from '../factories/session-events';
import { MongoTarget, mongoTargets } from '../support/infra';
import { mongoSuite } from '../support/mongo-suite';

function projectionBytes(projection: SessionProjection): number {
  return Buffer.byteLength(JSON.stringify(projection), 'utf8');
}

/** Every winning plan in explain() output, wherever the server nests it (a find, or an aggregate's $cursor). */
function winningPlans(explained: unknown): unknown[] {
  if (Array.isArray(explained)) return explained.flatMap(winningPlans);
  if (explained === null || typeof explained !== 'object') return [];
  return Object.entries(explained).flatMap(([key, value]) =>
    key === 'winningPlan' ? [value] : winningPlans(value),
  );
}

/** Every `stage` of a plan, with its index name for index scans. */
function planStages(plan: unknown): string[] {
  if (Array.isArray(plan)) return plan.flatMap(planStages);
  if (plan === null || typeof plan !== 'object') return [];
  const { stage, indexName } = plan as { stage?: unknown; indexName?: unknown };
  const own =
    typeof stage === 'string' ? [typeof indexName === 'string' ? `${stage}:${indexName}` : stage] : [];
  return [...own, ...Object.values(plan).flatMap(planStages)];
}

/** What each stand-in server does not do as MongoDB does; MongoViewStore is written for MongoDB. */
const DEVIATIONS: Record<MongoTarget['name'], DeclaredDeviations> = {
  'mongo-java-server': {},
  ferretdb: {
    'writes a batch of hundreds of guarded replaces in one call': {
      neverAnswers:
        'FerretDB v1 never answers an update command of 100 or more statements (99 take about 140 ms)',
    },
    'answers every write of a large batch whose conflicts are spread across it': {
      neverAnswers:
        'FerretDB v1 never answers an update command of 100 or more statements, and this batch holds 120 replaces',
    },
  },
  external: {},
};

describe.each(mongoTargets())('MongoViewStore on $name', (target) => {
  const mongo = mongoSuite(target);
  let db: Db;
  let generations: MongoViewGenerations;

  beforeAll(() => {
    db = mongo.newDatabase('view_store');
    // FerretDB v1 refuses nested arrays, so a deployment on it sets MONGODB_WRAP_NESTED_ARRAYS (see document-keys).
    generations = new MongoViewGenerations(db, { wrapNestedArrays: target.name === 'ferretdb' });
  });

  /** A fresh generation per test: an empty collection with the list indexes, as the projector gets it. */
  const freshStore = async () => {
    const generation = await generations.create();
    return {
      generation,
      store: generations.store(generation) as MongoViewStore,
      cleanup: () => generations.drop(generation),
    };
  };

  viewStoreContract(target.name, freshStore, DEVIATIONS[target.name]);

  describe('beyond the contract', () => {
    let harness: Awaited<ReturnType<typeof freshStore>>;
    beforeEach(async () => {
      harness = await freshStore();
    });
    afterEach(() => harness.cleanup());

    const insertAll = async (projections: SessionProjection[]) => {
      const writes = projections.map((projection) => ({ projection, expectedVersion: null }));
      expect(await harness.store.writeMany(writes)).toEqual({ written: projections.length, conflicts: [] });
    };

    it('round-trips a view whose free-form objects hold dotted and dollar keys and arrays of arrays', async () => {
      const projection = realisticProjection(uniqueSessionId('awkward'));
      const { session } = projection.view;
      session.config.chat_model_config!.parameters = {
        'top.p': 0.9,
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        matrix: [[1, 2], [[3]], []],
      };
      session.state.permission_context.allow_rules = { 'Bash(git *)': { 'a.b': { $ref: '#/x' } } };
      session.state.context[0].metadata = { 'trace.id': 'abc', $meta: [['nested', ['deeper']]] };
      await insertAll([projection]);
      expect(await harness.store.get(projection.session_id)).toEqual(projection);
    });

    it('stores a projection exactly as large as maxDocumentBytes', async () => {
      const sessionId = uniqueSessionId('largest');
      const filler =
        harness.store.maxDocumentBytes - projectionBytes(projectionOf(sessionId, { messages: [''] }));
      const largest = projectionOf(sessionId, { messages: ['x'.repeat(filler)] });
      expect(projectionBytes(largest)).toBe(harness.store.maxDocumentBytes);
      await insertAll([largest]);
      expect(await harness.store.get(sessionId)).toEqual(largest);
    });

    it('refuses a write whose generation was retired while it ran, so that the writer applies it to the active one', async () => {
      const answers = [false, true];
      const retiredMidWrite = new MongoViewStore(db.collection<ViewDocument>(harness.generation), async () =>
        answers.shift()!,
      );
      const projection = projectionOf(uniqueSessionId('fenced'));

      await expect(retiredMidWrite.writeMany([{ projection, expectedVersion: null }])).rejects.toThrow(
        GenerationRetiredError,
      );
      expect(answers).toEqual([]);
    });

    it('stores a view as a native document whose SessionView fields a MongoDB query addresses directly', async () => {
      const projection = realisticProjection(uniqueSessionId('native'));
      await insertAll([projection]);
      const views = db.collection(harness.generation);
      const { session } = projection.view;

      const found = await views.findOne(
        {
          'session.config.name': session.config.name,
          'session.state.context.id': session.state.context[0].id,
        },
        { projection: { _id: 1, 'session.agent_id': 1, status: 1 } },
      );

      expect(found).toEqual({
        _id: projection.session_id,
        session: { agent_id: session.agent_id },
        status: projection.view.status,
      });
    });

    /**
     * Only a server with MongoDB's query planner can show the index at work. mongo-java-server has no explain
     * command, and FerretDB v1 on SQLite pushes down no filter but a lone `_id` equality, so it scans every
     * collection whatever indexes exist; this test pins both facts, so that an upgrade that changes them shows.
     */
    it('serves the list query and its count from the list index', async () => {
      const views = db.collection<ViewDocument>(harness.generation);
      await insertAll([projectionOf(uniqueSessionId(), { userId: 'user-plan', agentId: 'agent-plan' })]);
      const query: SessionListQuery = {
        userId: 'user-plan',
        agentId: 'agent-plan',
        limit: 20,
        offset: 0,
        filters: { status: 'idle' },
        after: { order: 'created', at: '2025-03-03T10:00:00Z', sessionId: 'session-x' },
      };
      // Without skip: FerretDB's explain refuses the int the driver sends ("BSON field 'skip' is the wrong type
      // 'int', expected type 'long'") although its find accepts it.
      const explainList = () =>
        views
          .find(listPageFilter(query, listPaging(query)))
          .sort(listSort(listPaging(query)))
          .limit(query.limit)
          .explain();
      // The pipeline countDocuments sends.
      const explainCount = () =>
        views.aggregate([{ $match: listFilter(query) }, { $group: { _id: 1, n: { $sum: 1 } } }]).explain();

      switch (target.name) {
        case 'mongo-java-server':
          for (const explain of [explainList, explainCount]) {
            await expect(explain()).rejects.toThrow(MongoServerError);
            await expect(explain()).rejects.toMatchObject({
              code: 59,
              message: "no such command: 'explain'",
            });
          }
          return;
        case 'ferretdb':
          for (const explain of [explainList, explainCount]) {
            const plan: Document = await explain();
            expect(plan).toMatchObject({ filterPushdown: false, sortPushdown: false });
            expect(plan.queryPlanner.Plan.join(' ')).toMatch(/\bSCAN\b/);
          }
          return;
        default:
          for (const explain of [explainList, explainCount]) {
            const stages = planStages(winningPlans(await explain()));
            expect(stages).toContain('IXSCAN:list_by_created');
            expect(stages).not.toContain('COLLSCAN');
            expect(stages).not.toContain('SORT');
          }
      }
    });
  });

  /**
   * Why new views are inserts rather than upserts: on an update command FerretDB v1 ignores `ordered: false`,
   * stops at the first failing statement, reports it at index 0 with nothing matched, and never attempts the rest,
   * whereas mongo-java-server (like MongoDB) answers every statement.
   */
  it('shows how each server answers an unordered update batch with a failing upsert in the middle', async () => {
    const documents = db.collection<{ _id: string; v: number }>(`partial_${Date.now().toString(36)}`);
    await documents.insertMany(['a', 'b', 'c'].map((_id) => ({ _id, v: 1 })));
    const failure = await documents
      .bulkWrite(
        [
          { replaceOne: { filter: { _id: 'a', v: 1 }, replacement: { v: 2 } } },
          { replaceOne: { filter: { _id: 'b', v: 9 }, replacement: { v: 2 }, upsert: true } },
          { replaceOne: { filter: { _id: 'c', v: 1 }, replacement: { v: 2 } } },
        ],
        { ordered: false },
      )
      .catch((error: unknown) => error);
    const stored = await documents.find().sort({ _id: 1 }).toArray();
    await documents.drop();

    expect(failure).toBeInstanceOf(MongoBulkWriteError);
    const { code, writeErrors, result } = failure as MongoBulkWriteError;
    expect(code).toBe(11000);
    const reported = {
      errorAt: [writeErrors].flat().map(({ index }) => index),
      matched: result.matchedCount,
    };
    const applied = stored.map(({ v }) => v);
    if (target.name === 'ferretdb') {
      expect(reported).toEqual({ errorAt: [0], matched: 0 });
      expect(applied).toEqual([2, 1, 1]);
    } else {
      expect(reported).toEqual({ errorAt: [1], matched: 2 });
      expect(applied).toEqual([2, 1, 2]);
    }
  });
});
