import type { SessionProjection } from '@app/domain';
import { SessionListPage, SessionListQuery, ViewStore, ViewWrite, ViewWriteResult } from '@app/ports';
import { AnyBulkWriteOperation, Collection, Filter } from 'mongodb';
import { randomUUID } from 'node:crypto';
import { instantKey } from './instant-key';
import { MongoStoreError, MongoStoreErrorCode } from './mongo-store.error';
import { unorderedBulkWrite } from './unordered-bulk-write';
import { fromViewDocument, LIST_ORDER, toViewDocument, ViewDocument } from './view-document';

/** MongoDB refuses a BSON document over 16 MiB; FerretDB v1 keeps the same limit. */
const MAX_BSON_DOCUMENT_BYTES = 16 * 1024 * 1024;
/**
 * What a stored document holds beyond the projection's JSON, which is what the projector measures: the copied
 * list fields (ids bounded by MAX_ID_LENGTH), the write token, field names, and BSON's larger encoding of the
 * gaps (about 25 bytes more per gap than JSON, so room for some 40 000 gaps).
 */
const DOCUMENT_HEADROOM_BYTES = 1024 * 1024;

export class MongoViewStore extends ViewStore {
  readonly maxDocumentBytes = MAX_BSON_DOCUMENT_BYTES - DOCUMENT_HEADROOM_BYTES;

  constructor(private readonly views: Collection<ViewDocument>) {
    super();
  }

  async get(sessionId: string): Promise<SessionProjection | null> {
    const document = await this.views.findOne({ _id: sessionId });
    return document ? fromViewDocument(document) : null;
  }

  async getMany(sessionIds: readonly string[]): Promise<Map<string, SessionProjection>> {
    if (sessionIds.length === 0) return new Map();
    const documents = await this.views.find({ _id: { $in: [...sessionIds] } }).toArray();
    return new Map(documents.map((document) => [document._id, fromViewDocument(document)]));
  }

  /**
   * One bulk write; when its counts fall short, the versions are re-read: a document carrying this call's token was
   * written by it, one still at the expected version was never attempted (FerretDB stops at the first failure) and
   * is sent again, anything else moved under us and is a conflict.
   */
  async writeMany(writes: readonly ViewWrite[]): Promise<ViewWriteResult> {
    assertOneWritePerSession(writes);
    const token = randomUUID();
    const result: ViewWriteResult = { written: 0, conflicts: [] };
    let pending = writes;
    while (pending.length > 0) {
      const counts = await unorderedBulkWrite(
        this.views,
        pending.map((write) => guardedWrite(write, token)),
      );
      if (counts.inserted + counts.matched === pending.length) {
        result.written += pending.length;
        return result;
      }
      const stored = await this.storedGuards(pending.map((write) => write.projection.session_id));
      const unattempted: ViewWrite[] = [];
      for (const write of pending) {
        const sessionId = write.projection.session_id;
        const guard = stored.get(sessionId);
        if (guard?.write_token === token) result.written += 1;
        else if ((guard?.version ?? null) === write.expectedVersion) unattempted.push(write);
        else result.conflicts.push(sessionId);
      }
      if (unattempted.length === pending.length) {
        throw new MongoStoreError(
          MongoStoreErrorCode.WriteWithoutProgress,
          `a bulk write of ${pending.length} view(s) applied none and reported no conflict`,
        );
      }
      pending = unattempted;
    }
    return result;
  }

  async list(query: SessionListQuery): Promise<SessionListPage> {
    const filter = listFilter(query);
    const [documents, total] = await Promise.all([
      // A limit of 0 means "no limit" to MongoDB, not an empty page.
      query.limit > 0
        ? this.views.find(filter).sort(LIST_ORDER).skip(query.offset).limit(query.limit).toArray()
        : Promise.resolve([]),
      this.views.countDocuments(filter),
    ]);
    return { items: documents.map(fromViewDocument), total };
  }

  private async storedGuards(
    sessionIds: string[],
  ): Promise<Map<string, Pick<ViewDocument, 'version' | 'write_token'>>> {
    const guards = await this.views
      .find({ _id: { $in: sessionIds } }, { projection: { version: 1, write_token: 1 } })
      .toArray();
    return new Map(guards.map((guard) => [guard._id, guard]));
  }
}

function guardedWrite(
  { projection, expectedVersion }: ViewWrite,
  token: string,
): AnyBulkWriteOperation<ViewDocument> {
  const document = toViewDocument(projection, token);
  return expectedVersion === null
    ? { insertOne: { document } }
    : { replaceOne: { filter: { _id: document._id, version: expectedVersion }, replacement: document } };
}

/** The query the list index serves: equality on owner and deleted, then the optional filters on the fetched range. */
export function listFilter(query: SessionListQuery): Filter<ViewDocument> {
  const filter: Filter<ViewDocument> = { user_id: query.userId, agent_id: query.agentId, deleted: false };
  if (query.isRunning !== undefined) filter.is_running = query.isRunning;
  if (query.status !== undefined) filter.status = query.status;
  if (query.source !== undefined) filter.source = query.source;
  if (query.teamId !== undefined) filter.team_id = query.teamId;
  if (query.updatedAfter !== undefined) filter.updated_at = { $gt: instantKey(query.updatedAfter) };
  return filter;
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
