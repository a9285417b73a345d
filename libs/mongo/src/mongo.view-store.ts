import { canonicalJson } from '@app/domain';
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
import { AnyBulkWriteOperation, BulkWriteResult, Collection, MongoBulkWriteError } from 'mongodb';
import { DUPLICATE_KEY_CODE } from './duplicate-key';
import { KeyEscapeOptions } from './document-keys';
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

/** MongoDB's limit on a BSON document, which both servers announce as maxBsonObjectSize. */
const MAX_BSON_DOCUMENT_BYTES = 16 * 1024 * 1024;
/**
 * What a stored document holds beyond the projection's JSON, which is what the projector measures: the copied
 * view fields, field names, BSON's type bytes and array indexes, and escaped keys.
 */
const DOCUMENT_HEADROOM_BYTES = 1024 * 1024;

export class MongoViewStore extends ViewStore {
  readonly maxDocumentBytes = MAX_BSON_DOCUMENT_BYTES - DOCUMENT_HEADROOM_BYTES;

  /** `isRetired` tells whether the generation these views belong to has been retired by a switch. */
  constructor(
    private readonly views: Collection<ViewDocument>,
    private readonly isRetired: () => Promise<boolean>,
    private readonly keyOptions: KeyEscapeOptions = {},
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

  async writeMany(writes: readonly ViewWrite[]): Promise<ViewWriteResult> {
    assertOneWritePerSession(writes);
    if (writes.length === 0) return { written: 0, conflicts: [] };
    // The documents are encoded while the pointer is read: the check only has to come before the write. The catch
    // marks the check handled should encoding throw first; awaiting it below still rejects.
    const retired = this.isRetired();
    retired.catch(() => undefined);
    const operations = writes.map((write) => guardedWrite(write, this.keyOptions));
    if (await retired) throw new GenerationRetiredError(this.views.collectionName);
    const result = await this.writeGuarded(writes, operations);
    // MongoDB cannot make the pointer check and the writes one atomic step, so the fence also looks after the write.
    // A switch that came meanwhile may have let some of it land in the retired generation, which no longer serves;
    // the refusal makes the writer apply the whole batch to the active one. A switch after this check is the
    // rebuild's to cover: its catch-up, which runs after the switch, folds every event archived before it.
    if (await this.isRetired()) throw new GenerationRetiredError(this.views.collectionName);
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

  /**
   * One unordered bulk write: an insert for a new session (a duplicate key says another writer created it first),
   * a replace guarded by the version read for the others. MongoDB answers a guarded replace that matched nothing
   * with no error, only a lower matched count, so only then are the replaced sessions read back: a session that now
   * holds exactly the projection this write carried was written (by it, or by a writer that folded the same
   * events into the same view, which is the same outcome); any other was moved by someone else, a conflict.
   */
  private async writeGuarded(
    writes: readonly ViewWrite[],
    operations: AnyBulkWriteOperation<ViewDocument>[],
  ): Promise<ViewWriteResult> {
    const { reply, refused } = await this.bulkWrite(operations);
    const conflicts = new Set(refused.map((index) => writes[index].projection.session_id));
    const replaces = writes.filter(
      (write) => write.expectedVersion !== null && !conflicts.has(write.projection.session_id),
    );
    if (reply.matchedCount < replaces.length) {
      const stored = await this.getMany(replaces.map((write) => write.projection.session_id));
      for (const { projection } of replaces) {
        const now = stored.get(projection.session_id);
        if (now === undefined || canonicalJson(now) !== canonicalJson(projection)) {
          conflicts.add(projection.session_id);
        }
      }
    }
    return {
      written: writes.length - conflicts.size,
      conflicts: writes.map((write) => write.projection.session_id).filter((id) => conflicts.has(id)),
    };
  }

  /** The reply and the indexes of the statements refused for a duplicate key; any other failure is thrown. */
  private async bulkWrite(
    operations: AnyBulkWriteOperation<ViewDocument>[],
  ): Promise<{ reply: BulkWriteResult; refused: number[] }> {
    try {
      return { reply: await this.views.bulkWrite(operations, { ordered: false }), refused: [] };
    } catch (error) {
      if (!(error instanceof MongoBulkWriteError) || error.result.getWriteConcernError() !== undefined) {
        throw error;
      }
      const writeErrors = [error.writeErrors].flat();
      if (!writeErrors.every((writeError) => writeError.code === DUPLICATE_KEY_CODE)) throw error;
      return { reply: error.result, refused: writeErrors.map((writeError) => writeError.index) };
    }
  }
}

function guardedWrite(
  { projection, expectedVersion }: ViewWrite,
  keyOptions: KeyEscapeOptions,
): AnyBulkWriteOperation<ViewDocument> {
  const document = toViewDocument(projection, keyOptions);
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
