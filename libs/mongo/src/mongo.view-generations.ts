import { currentViewStamp, ViewGenerations, ViewStamp, ViewStore } from '@app/ports';
import { Collection, Db, Document, MongoServerError, OptionalUnlessRequiredId } from 'mongodb';
import { MongoStoreError, MongoStoreErrorCode } from './mongo-store.error';
import { MongoViewStore } from './mongo.view-store';
import { DUPLICATE_KEY_CODE } from './duplicate-key';
import { VIEW_INDEXES, ViewDocument } from './view-document';
import { ensureIndexes } from './ensure-indexes';
import { KeyEscapeOptions } from './document-keys';

const POINTERS_COLLECTION = 'view_generations';
const GENERATION_NAME = /^session_views_([1-9]\d*)$/;
/** Created by active() on first use; create() never hands it out. */
const FIRST_NUMBER = 1;
const FIRST_GENERATION = generationName(FIRST_NUMBER);

/** Which generation serves: switched by one update, because renameCollection is not portable. */
interface ActivePointer {
  _id: string;
  generation: string;
}

/**
 * A generation number handed out, kept after its collection is dropped so that no name is ever reused. A creator
 * claims a number by inserting its claim: the unique _id is the one guard FerretDB v1 enforces atomically, whereas
 * its findAndModify is not atomic (20 concurrent `$inc` of one counter left it at 6 and handed out equal numbers).
 * The claim also carries the generation's stamp and whether it has served (once served and replaced, it is retired).
 */
interface GenerationClaim {
  _id: string;
  number?: number;
  fold_version?: number;
  shape?: string;
  served?: boolean;
}

export class MongoViewGenerations extends ViewGenerations {
  private readonly activePointer: Collection<ActivePointer>;
  private readonly claims: Collection<GenerationClaim>;

  /** `keyOptions`: how view documents escape what MongoDB cannot hold (see KeyEscapeOptions). */
  constructor(
    private readonly db: Db,
    private readonly keyOptions: KeyEscapeOptions = {},
  ) {
    super();
    this.activePointer = db.collection<ActivePointer>(POINTERS_COLLECTION);
    this.claims = db.collection<GenerationClaim>(POINTERS_COLLECTION);
  }

  /** Callers racing on first use all insert the same pointer to generation 1; the losers' duplicate is ignored. */
  async active(): Promise<string> {
    const pointer = await this.activePointer.findOne({ _id: 'active' });
    if (pointer) return pointer.generation;
    await insertUnlessPresent(this.claims, { ...claimOf(FIRST_NUMBER), served: true });
    await this.createIndexes(FIRST_GENERATION);
    await insertUnlessPresent(this.activePointer, { _id: 'active', generation: FIRST_GENERATION });
    return (await this.activePointer.findOne({ _id: 'active' }))!.generation;
  }

  /** Concurrent creators start from the same highest claim; each loser of a number moves on to the next one. */
  async create(): Promise<string> {
    let number = Math.max(await this.highestClaim(), FIRST_NUMBER) + 1;
    while (!(await insertUnlessPresent(this.claims, claimOf(number)))) number += 1;
    const generation = generationName(number);
    await this.createIndexes(generation);
    return generation;
  }

  async stamp(generation: string): Promise<ViewStamp | null> {
    assertGenerationName(generation);
    const claim = await this.claims.findOne({ _id: generation });
    if (claim?.fold_version !== undefined && claim.shape !== undefined) {
      return { foldVersion: claim.fold_version, shape: claim.shape };
    }
    if (!(await this.list()).includes(generation)) {
      throw new MongoStoreError(
        MongoStoreErrorCode.UnknownGeneration,
        `generation ${generation} does not exist`,
      );
    }
    return null;
  }

  store(generation: string): ViewStore {
    assertGenerationName(generation);
    return new MongoViewStore(
      this.db.collection<ViewDocument>(generation),
      () => this.isRetired(generation),
      this.keyOptions,
    );
  }

  /**
   * One findAndModify switches the pointer and returns what it held. FerretDB v1 does not run it atomically, so two
   * simultaneous activations there could both report the same previous generation; a switch is one rebuild's last
   * step, never a concurrent one.
   */
  async activate(generation: string): Promise<string> {
    assertGenerationName(generation);
    if (!(await this.list()).includes(generation)) {
      throw new MongoStoreError(
        MongoStoreErrorCode.UnknownGeneration,
        `generation ${generation} does not exist`,
      );
    }
    await this.active();
    // Served before the pointer moves, so that the previous generation is retired from the moment it stops serving.
    await this.claims.updateOne({ _id: generation }, { $set: { served: true } }, { upsert: true });
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

  /**
   * A generation that served and no longer does: its store refuses writes. The pointer and the claim share a
   * collection, so one find reads both: the fence costs one round trip on each side of a view write.
   */
  private async isRetired(generation: string): Promise<boolean> {
    const documents = await this.db
      .collection<ActivePointer | GenerationClaim>(POINTERS_COLLECTION)
      .find({ _id: { $in: ['active', generation] } })
      .toArray();
    const pointer = documents.find(({ _id }) => _id === 'active') as ActivePointer | undefined;
    const claim = documents.find(({ _id }) => _id === generation) as GenerationClaim | undefined;
    return claim?.served === true && pointer?.generation !== generation;
  }

  private async highestClaim(): Promise<number> {
    const [highest] = await this.claims
      .find({ number: { $gte: FIRST_NUMBER } })
      .sort({ number: -1 })
      .limit(1)
      .toArray();
    return highest?.number ?? 0;
  }

  /** Creating the indexes also creates the collection, on both servers, and is a no-op when they exist. */
  private async createIndexes(generation: string): Promise<void> {
    await ensureIndexes(this.db.collection<ViewDocument>(generation), VIEW_INDEXES);
  }
}

/** True when this call inserted the document, false when one with its _id was there already. */
async function insertUnlessPresent<TSchema extends Document>(
  collection: Collection<TSchema>,
  document: OptionalUnlessRequiredId<TSchema>,
): Promise<boolean> {
  try {
    await collection.insertOne(document);
    return true;
  } catch (error) {
    if (error instanceof MongoServerError && error.code === DUPLICATE_KEY_CODE) return false;
    throw error;
  }
}

/** The claim of generation `number`, stamped with this build's stamp. */
function claimOf(number: number): GenerationClaim {
  const stamp = currentViewStamp();
  return { _id: generationName(number), number, fold_version: stamp.foldVersion, shape: stamp.shape };
}

function generationName(number: number): string {
  return `session_views_${number}`;
}

function assertGenerationName(generation: string): void {
  if (!GENERATION_NAME.test(generation)) {
    throw new MongoStoreError(
      MongoStoreErrorCode.UnknownGeneration,
      `'${generation}' is not a view generation`,
    );
  }
}
