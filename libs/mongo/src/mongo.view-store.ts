import type { SessionProjection } from '@app/domain';
import {
  GenerationRetiredError,
  listPaging,
  SessionListPage,
  SessionListQuery,
  ViewStore,
  ViewWrite,
  ViewWriteResult,
} from '@app/ports';
import { AnyBulkWriteOperation, Collection } from 'mongodb';
import { bulkWriteUntilAnswered, newWriteToken } from './bulk-write-until-answered';
import { MongoStoreError, MongoStoreErrorCode } from './mongo-store.error';
import {
  fieldPath,
  fromViewDocument,
  listFilter,
  listPageFilter,
  listSort,
  toViewDocument,
  ViewDocument,
} from './view-document';
import { answerViewWrites, StoredGuard } from './view-write-answers';

/** MongoDB's limit on a BSON document, which both servers announce as maxBsonObjectSize. */
const MAX_BSON_DOCUMENT_BYTES = 16 * 1024 * 1024;
/**
 * What a stored document holds beyond the projection's JSON, which is what the projector measures: the copied
 * list fields (ids bounded by MAX_ID_LENGTH), the write token, field names, and BSON's larger encoding of the
 * gaps (about 25 bytes more per gap than JSON, so room for some 40 000 gaps).
 */
const DOCUMENT_HEADROOM_BYTES = 1024 * 1024;

export class MongoViewStore extends ViewStore {
  readonly maxDocumentBytes = MAX_BSON_DOCUMENT_BYTES - DOCUMENT_HEADROOM_BYTES;

  /** `isRetired` tells whether the generation these views belong to has been retired by a switch. */
  constructor(
    private readonly views: Collection<ViewDocument>,
    private readonly isRetired: () => Promise<boolean>,
  ) {
    super();
  }

  async get(sessionId: string, ownerId?: string): Promise<SessionProjection | null> {
    const document = await this.views.findOne(
      ownerId === undefined ? { _id: sessionId } : { _id: sessionId, [fieldPath('user_id')]: ownerId },
    );
    return document ? fromViewDocument(document) : null;
  }

  async getMany(sessionIds: readonly string[]): Promise<Map<string, SessionProjection>> {
    if (sessionIds.length === 0) return new Map();
    const documents = await this.views.find({ _id: { $in: [...sessionIds] } }).toArray();
    return new Map(documents.map((document) => [document._id, fromViewDocument(document)]));
  }

  /**
   * One bulk write, re-read and resent as bulkWriteUntilAnswered describes, so every write gets its real answer.
   * The version guard is atomic on MongoDB and mongo-java-server. FerretDB v1 checks an update's filter on a
   * document it read earlier and then writes by _id alone, so writers racing from the same version can both win
   * there (8 simultaneous guarded replaces of one view had several winners in 27 of 30 trials); only a stale writer
   * that reads after the other's write is refused. One projector per partition keeps such races to a rebalance.
   */
  async writeMany(writes: readonly ViewWrite[]): Promise<ViewWriteResult> {
    assertOneWritePerSession(writes);
    if (await this.isRetired()) throw new GenerationRetiredError(this.views.collectionName);
    const result = await this.writeGuarded(writes);
    // MongoDB cannot make the pointer check and the writes one atomic step, so the fence also looks after the write.
    // A switch that came meanwhile may have let some of it land in the retired generation, which no longer serves;
    // the refusal makes the writer apply the whole batch to the active one. A switch after this check is the
    // rebuild's to cover: its catch-up, which runs after the switch, folds every event archived before it.
    if (await this.isRetired()) throw new GenerationRetiredError(this.views.collectionName);
    return result;
  }

  private async writeGuarded(writes: readonly ViewWrite[]): Promise<ViewWriteResult> {
    const token = newWriteToken();
    const result: ViewWriteResult = { written: 0, conflicts: [] };
    const confirmedByReply = await bulkWriteUntilAnswered(
      this.views,
      writes,
      (write) => guardedWrite(write, token),
      async (pending) => {
        const answers = answerViewWrites(pending, await this.storedGuards(pending), token);
        result.written += answers.written;
        result.conflicts.push(...answers.conflicts);
        return answers.unattempted;
      },
    );
    result.written += confirmedByReply;
    return result;
  }

  async list(query: SessionListQuery): Promise<SessionListPage> {
    const paging = listPaging(query);
    const [documents, total] = await Promise.all([
      // A limit of 0 means "no limit" to MongoDB, not an empty page.
      query.limit > 0
        ? this.views
            .find(listPageFilter(query, paging))
            .sort(listSort(paging))
            .skip(query.offset)
            .limit(query.limit)
            .toArray()
        : Promise.resolve([]),
      this.views.countDocuments(listFilter(query)),
    ]);
    return { items: documents.map(fromViewDocument), total };
  }

  private storedGuards(writes: readonly ViewWrite[]): Promise<StoredGuard[]> {
    return this.views
      .find(
        { _id: { $in: writes.map((write) => write.projection.session_id) } },
        { projection: { version: 1, write_token: 1 } },
      )
      .toArray();
  }
}

/**
 * A new session is an insert rather than an upsert: FerretDB v1 answers insert statements one by one, whereas it
 * abandons an update command at its first failing upsert.
 */
function guardedWrite(
  { projection, expectedVersion }: ViewWrite,
  token: string,
): AnyBulkWriteOperation<ViewDocument> {
  const document = toViewDocument(projection, token);
  return expectedVersion === null
    ? { insertOne: { document } }
    : { replaceOne: { filter: { _id: document._id, version: expectedVersion }, replacement: document } };
}

function assertOneWritePerSession(writes: readonly ViewWrite[]): void {
  const sessionIds = new Set(writes.map((write) => write.projection.session_id));
  if (sessionIds.size !== writes.length) {
    throw new MongoStoreError(
      MongoStoreErrorCode.DuplicateSessionWrite,
      'each session may be written at most once per writeMany call',
    );
  }
}
