import { AppConfig } from '@app/config';
import { withoutPassword } from '@app/logging';
import { DATABASE_FILE_NAME } from '@app/sqlite';
import { MongoClient } from 'mongodb';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The environment points at no store: an audit of it would be an audit of nothing. */
export class StoreMissingError extends Error {}

/**
 * Opening a store creates it (the SQLite file, MongoDB's collections and indexes); an audit tool pointed at the wrong
 * place would then report an empty, consistent store. Checked before anything is opened.
 */
export async function assertStoreExists(config: AppConfig): Promise<void> {
  if (config.mongo) {
    const { uri, database, serverSelectionTimeoutMS } = config.mongo;
    const client = new MongoClient(uri, { serverSelectionTimeoutMS });
    try {
      const collections = await client.db(database).listCollections({}, { nameOnly: true }).toArray();
      if (collections.length === 0) {
        throw new StoreMissingError(
          `no store in database ${database} at ${withoutPassword(uri)}: check MONGODB_URI and MONGODB_DATABASE`,
        );
      }
    } finally {
      await client.close();
    }
    return;
  }
  const file = join(config.dataDir, DATABASE_FILE_NAME);
  if (!existsSync(file)) {
    throw new StoreMissingError(
      `no store at ${file}: set DATA_DIR to the folder that holds ${DATABASE_FILE_NAME}`,
    );
  }
}
