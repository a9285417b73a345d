import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { foldEvents } from '@app/domain';
import { ViewStore } from '@app/ports';
import { SqliteDatabase, SqliteViewGenerations } from '@app/sqlite';
import { realisticHistory } from '../../../test/factories/session-events';
import { foldIntoStore } from './fold-into-store';

describe('foldIntoStore with views read ahead', () => {
  let dataDir: string;
  let database: SqliteDatabase;
  let store: ViewStore;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'fold-into-store-'));
    database = SqliteDatabase.open(dataDir);
    const generations = new SqliteViewGenerations(database);
    store = generations.store(await generations.active());
  });
  afterEach(async () => {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('folds from the views read ahead, and re-reads a view that moved since instead of overwriting it', async () => {
    const history = realisticHistory('session-a').slice(0, 6);
    const sessionId = history[0].session_id;
    await foldIntoStore(store, new Map([[sessionId, history.slice(0, 3)]]));
    const readAhead = await store.getMany([sessionId]);
    // Another writer moves the view after the batch read it.
    await foldIntoStore(store, new Map([[sessionId, history.slice(3, 4)]]));

    const result = await foldIntoStore(store, new Map([[sessionId, history.slice(3)]]), readAhead);

    expect(result.versionConflicts).toBe(1);
    expect(result.folds.get(sessionId)?.duplicates).toBe(1);
    expect(await store.get(sessionId)).toEqual(foldEvents(undefined, history).projection);
  });

  it('takes a session missing from the views read ahead as one without a stored view', async () => {
    const history = realisticHistory('session-b').slice(0, 4);
    const sessionId = history[0].session_id;

    const result = await foldIntoStore(store, new Map([[sessionId, history]]), new Map());

    expect(result.versionConflicts).toBe(0);
    expect(await store.get(sessionId)).toEqual(foldEvents(undefined, history).projection);
  });
});
