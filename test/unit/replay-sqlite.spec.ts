import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteDatabase, SqliteEventArchive, SqliteViewGenerations } from '@app/sqlite';
import { replayBehaviour } from '../contracts/replay.behaviour';

replayBehaviour('SQLite', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'replay-'));
  const database = SqliteDatabase.open(dataDir);
  return {
    archive: new SqliteEventArchive(database),
    generations: new SqliteViewGenerations(database),
    cleanup: async () => {
      await database.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
});
