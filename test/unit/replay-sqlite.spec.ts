import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FOLD_VERSION } from '@app/domain';
import { SqliteDatabase, SqliteEventArchive, SqliteViewGenerations } from '@app/sqlite';
import { replayBehaviour } from '../contracts/replay.behaviour';

replayBehaviour('SQLite', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'replay-'));
  const database = SqliteDatabase.open(dataDir);
  const generations = new SqliteViewGenerations(database);
  return {
    archive: new SqliteEventArchive(database),
    generations,
    // As a data directory from before a column was added to the view field table: the stamp of another fold
    // version, and a table that lacks the column.
    markActiveGenerationStale: async () => {
      const active = await generations.active();
      await database.write((connection) => {
        connection.exec(
          `DROP INDEX "${active}_list_by_created"; ALTER TABLE "${active}" DROP COLUMN created_at`,
        );
        database
          .statement(connection, 'UPDATE view_generations SET fold_version = ? WHERE name = ?')
          .run(FOLD_VERSION - 1, active);
      });
      return active;
    },
    cleanup: async () => {
      await database.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
});
