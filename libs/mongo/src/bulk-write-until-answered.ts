import { AnyBulkWriteOperation, BulkWriteResult, Collection, Document, MongoBulkWriteError } from 'mongodb';
import { randomBytes } from 'node:crypto';
import { MongoStoreError, MongoStoreErrorCode } from './mongo-store.error';

export const DUPLICATE_KEY_CODE = 11000;

/**
 * Marks the documents one call wrote, so that after a partial bulk write the caller recognises its own writes on
 * re-reading instead of trusting the reply, which neither server gets right: mongo-java-server counts an insert
 * that failed on a duplicate key as inserted, and FerretDB v1 ignores `ordered: false` on updates, stopping at the
 * first failing statement and reporting it at index 0 with a matched count of 0 although earlier statements were
 * applied.
 */
export function newWriteToken(): string {
  return randomBytes(12).toString('base64url');
}

/**
 * FerretDB v1 never answers an update command of 100 or more statements (99 take about 140 ms), so no bulk write
 * sends more than this; MongoDB itself would split at 100,000.
 */
export const MAX_STATEMENTS_PER_WRITE = 64;

/**
 * Sends unordered bulk writes of at most MAX_STATEMENTS_PER_WRITE statements for `items`. When a reply confirms
 * every statement applied, that is the answer. Otherwise `answerFromServer` re-reads the server, records the answer of each item it can tell (applied by this
 * call, or refused) and returns the items never attempted, which are sent again. Resolves with the number of items
 * confirmed by a complete reply; `answerFromServer` has accounted for the others.
 */
export async function bulkWriteUntilAnswered<TItem, TSchema extends Document>(
  collection: Collection<TSchema>,
  items: readonly TItem[],
  toOperation: (item: TItem) => AnyBulkWriteOperation<TSchema>,
  answerFromServer: (items: readonly TItem[]) => Promise<TItem[]>,
): Promise<number> {
  let confirmed = 0;
  for (let start = 0; start < items.length; start += MAX_STATEMENTS_PER_WRITE) {
    const chunk = items.slice(start, start + MAX_STATEMENTS_PER_WRITE);
    confirmed += await writeChunkUntilAnswered(collection, chunk, toOperation, answerFromServer);
  }
  return confirmed;
}

async function writeChunkUntilAnswered<TItem, TSchema extends Document>(
  collection: Collection<TSchema>,
  items: readonly TItem[],
  toOperation: (item: TItem) => AnyBulkWriteOperation<TSchema>,
  answerFromServer: (items: readonly TItem[]) => Promise<TItem[]>,
): Promise<number> {
  let pending = items;
  while (pending.length > 0) {
    if (await bulkWriteAllApplied(collection, pending.map(toOperation))) return pending.length;
    const unattempted = await answerFromServer(pending);
    if (unattempted.length === pending.length) {
      throw new MongoStoreError(
        MongoStoreErrorCode.WriteWithoutProgress,
        `a bulk write of ${pending.length} statement(s) to ${collection.collectionName} applied none and refused none`,
      );
    }
    pending = unattempted;
  }
  return 0;
}

/**
 * True when every statement was applied (each insert stored, each guarded replace matched). Duplicate keys are
 * answers, not failures: the caller re-reads. Any other failure (a write concern error, a document too large) is
 * thrown.
 */
async function bulkWriteAllApplied<TSchema extends Document>(
  collection: Collection<TSchema>,
  operations: AnyBulkWriteOperation<TSchema>[],
): Promise<boolean> {
  try {
    return allApplied(await collection.bulkWrite(operations, { ordered: false }), operations.length);
  } catch (error) {
    if (error instanceof MongoBulkWriteError && onlyDuplicateKeys(error)) return false;
    throw error;
  }
}

function allApplied(result: BulkWriteResult, statements: number): boolean {
  return !result.hasWriteErrors() && result.insertedCount + result.matchedCount === statements;
}

function onlyDuplicateKeys(error: MongoBulkWriteError): boolean {
  const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
  return (
    error.result.getWriteConcernError() === undefined &&
    writeErrors.length > 0 &&
    writeErrors.every((writeError) => writeError.code === DUPLICATE_KEY_CODE)
  );
}
