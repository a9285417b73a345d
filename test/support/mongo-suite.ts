import { Db, MongoClient } from 'mongodb';
import { MongoTarget, uniqueName } from './infra';

export interface MongoSuite {
  /** A database with a name no other test, run or machine uses; dropped when the suite ends, if not before. */
  newDatabase(prefix: string): Db;
}

/** One client per target and suite. Call inside the suite's describe block. */
export function mongoSuite(target: MongoTarget): MongoSuite {
  const client = new MongoClient(target.uri);
  const databases: Db[] = [];
  afterAll(async () => {
    try {
      for (const db of databases) await db.dropDatabase();
    } finally {
      await client.close();
    }
  });
  return {
    newDatabase: (prefix) => {
      const db = client.db(uniqueName(prefix));
      databases.push(db);
      return db;
    },
  };
}
