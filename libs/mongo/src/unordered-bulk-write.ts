import { AnyBulkWriteOperation, BulkWriteResult, Collection, Document, MongoBulkWriteError } from 'mongodb';

export const DUPLICATE_KEY_CODE = 11000;

export interface BulkWriteCounts {
  inserted: number;
  /** Update and replace statements whose filter matched a document. */
  matched: number;
}

/**
 * One unordered bulk write whose duplicate-key failures are answers, not errors: when the counts fall short of the
 * statements sent, the caller re-reads to learn which ones took effect. That re-read is needed anyway, because
 * FerretDB v1 ignores `ordered: false` and leaves every statement after the first failing one unattempted, with
 * no error for them. Any other failure (a write concern error, a document too large) is thrown.
 */
export async function unorderedBulkWrite<TSchema extends Document>(
  collection: Collection<TSchema>,
  operations: AnyBulkWriteOperation<TSchema>[],
): Promise<BulkWriteCounts> {
  try {
    return countsOf(await collection.bulkWrite(operations, { ordered: false }));
  } catch (error) {
    if (error instanceof MongoBulkWriteError && onlyDuplicateKeys(error)) return countsOf(error.result);
    throw error;
  }
}

function countsOf(result: BulkWriteResult): BulkWriteCounts {
  return { inserted: result.insertedCount, matched: result.matchedCount };
}

function onlyDuplicateKeys(error: MongoBulkWriteError): boolean {
  const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
  return (
    error.result.getWriteConcernError() === undefined &&
    writeErrors.length > 0 &&
    writeErrors.every((writeError) => writeError.code === DUPLICATE_KEY_CODE)
  );
}
