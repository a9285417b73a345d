import { ViewGenerations, ViewStore } from '@app/ports';
import { Collection, Db, Document, MongoServerError, OptionalUnlessRequiredId } from 'mongodb';
import { MongoStoreError, MongoStoreErrorCode } from './mongo-store.error';
import { MongoViewStore } from './mongo.view-store';
import { DUPLICATE_KEY_CODE } from './bulk-write-until-answered';
import { VIEW_INDEXES, ViewDocument } from './view-document';

const POINTERS_COLLECTION = 'view_generations';
const GENERATION_PREFIX = 'session_views_';
const GENERATION_NAME = /^session_views_([1-9]\d*)$/;
const FIRST_GENERATION = `${GENERATION_PREFIX}1`;

/** Which generation serves: switched by one atomic update, because renameCollection is not portable. */
interface ActivePointer {
  _id: string;
  generation: string;
}

/** The last generation number handed out, so two rebuilds never pick the same collection. */
interface GenerationSequence {
  _id: string;
  last: number;
}

export class MongoViewGenerations extends ViewGenerations {
  private readonly activePointer: Collection<ActivePointer>;
  private readonly sequence: Collection<GenerationSequence>;

  constructor(private readonly db: Db) {
    super();
    this.activePointer = db.collection<ActivePointer>(POINTERS_COLLECTION);
    this.sequence = db.collection<GenerationSequence>(POINTERS_COLLECTION);
  }

  /** Callers racing on first use all insert the same pointer to generation 1; the losers' duplicate is ignored. */
  async active(): Promise<string> {
    const pointer = await this.activePointer.findOne({ _id: 'active' });
    if (pointer) return pointer.generation;
    await this.createIndexes(FIRST_GENERATION);
    await insertUnlessPresent(this.activePointer, { _id: 'active', generation: FIRST_GENERATION });
    return (await this.activePointer.findOne({ _id: 'active' }))!.generation;
  }

  async create(): Promise<string> {
    // Number 1 is reserved for the generation active() creates on first use.
    await insertUnlessPresent(this.sequence, { _id: 'sequence', last: 1 });
    const next = await this.sequence.findOneAndUpdate(
      { _id: 'sequence' },
      { $inc: { last: 1 } },
      { returnDocument: 'after' },
    );
    const generation = `${GENERATION_PREFIX}${next!.last}`;
    await this.createIndexes(generation);
    return generation;
  }

  store(generation: string): ViewStore {
    assertGenerationName(generation);
    return new MongoViewStore(this.db.collection<ViewDocument>(generation));
  }

  async activate(generation: string): Promise<string> {
    assertGenerationName(generation);
    if (!(await this.list()).includes(generation)) {
      throw new MongoStoreError(
        MongoStoreErrorCode.UnknownGeneration,
        `generation ${generation} does not exist`,
      );
    }
    await this.active();
    const previous = await this.activePointer.findOneAndUpdate(
      { _id: 'active' },
      { $set: { generation } },
      { returnDocument: 'before' },
    );
    return previous!.generation;
  }

  async list(): Promise<string[]> {
    const collections = await this.db.listCollections({}, { nameOnly: true }).toArray();
    return collections
      .map(({ name }) => GENERATION_NAME.exec(name))
      .filter((match) => match !== null)
      .sort((a, b) => Number(a[1]) - Number(b[1]))
      .map(([name]) => name);
  }

  async drop(generation: string): Promise<void> {
    assertGenerationName(generation);
    if ((await this.activePointer.findOne({ _id: 'active' }))?.generation === generation) {
      throw new MongoStoreError(
        MongoStoreErrorCode.ActiveGenerationDrop,
        `generation ${generation} is serving reads; activate another one before dropping it`,
      );
    }
    // Dropping is idempotent, so a failed rebuild can be cleaned up twice. Asking first is the portable way:
    // mongo-java-server answers a drop of a missing collection with "ns not found" and no error code.
    if ((await this.list()).includes(generation)) await this.db.dropCollection(generation);
  }

  /** Creating the indexes also creates the collection, on both servers, and is a no-op when they exist. */
  private async createIndexes(generation: string): Promise<void> {
    await this.db.collection<ViewDocument>(generation).createIndexes(VIEW_INDEXES);
  }
}

async function insertUnlessPresent<TSchema extends Document>(
  collection: Collection<TSchema>,
  document: OptionalUnlessRequiredId<TSchema>,
): Promise<void> {
  try {
    await collection.insertOne(document);
  } catch (error) {
    if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY_CODE)) throw error;
  }
}

function assertGenerationName(generation: string): void {
  if (!GENERATION_NAME.test(generation)) {
    throw new MongoStoreError(
      MongoStoreErrorCode.UnknownGeneration,
      `'${generation}' is not a view generation`,
    );
  }
}
