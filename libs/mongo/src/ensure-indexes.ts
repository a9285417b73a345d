import { Collection, Document, IndexDescription } from 'mongodb';

/**
 * Creates each index with a command of its own. FerretDB v1.24 panics and drops the connection ("slice bounds out of
 * range") when one createIndexes command names two or more indexes that already exist, which is every start after
 * the first; one index per command is a no-op there, as on MongoDB.
 */
export async function ensureIndexes<TSchema extends Document>(
  collection: Collection<TSchema>,
  indexes: readonly IndexDescription[],
): Promise<void> {
  for (const index of indexes) await collection.createIndexes([index]);
}
