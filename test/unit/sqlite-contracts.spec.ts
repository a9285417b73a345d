import { SessionEvent } from '@app/domain';
import { ProjectionEngine, ProjectorMetrics } from '@app/projection';
import { DeadLetterRedrive, RecoveryMetrics } from '@app/recovery';
import { Registry } from 'prom-client';
import {
  SqliteChangeFeed,
  SqliteDatabase,
  SqliteDeadLetterSink,
  SqliteEventArchive,
  SqliteEventLog,
  SqliteViewGenerations,
} from '@app/sqlite';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { changeFeedContract } from '../contracts/change-feed.contract';
import { deadLetterRedriveContract, deadLetterSinkContract } from '../contracts/dead-letter-sink.contract';
import { eventArchiveContract } from '../contracts/event-archive.contract';
import { eventLogContract } from '../contracts/event-log.contract';
import { viewGenerationsContract } from '../contracts/view-generations.contract';
import { viewStoreContract } from '../contracts/view-store.contract';

/** A fresh store file in its own temporary folder, removed with it. */
function temporaryDatabase() {
  const dataDir = mkdtempSync(join(tmpdir(), 'sqlite-contract-'));
  const database = SqliteDatabase.open(dataDir);
  return {
    dataDir,
    database,
    cleanup: async () => {
      await database.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

viewStoreContract('SQLite', async () => {
  const { database, cleanup } = temporaryDatabase();
  const generations = new SqliteViewGenerations(database);
  return { store: generations.store(await generations.active()), cleanup };
});

viewGenerationsContract('SQLite', async () => {
  const { dataDir, database, cleanup } = temporaryDatabase();
  const reopened: SqliteDatabase[] = [];
  return {
    generations: new SqliteViewGenerations(database),
    reopen: async () => {
      const again = SqliteDatabase.open(dataDir);
      reopened.push(again);
      return new SqliteViewGenerations(again);
    },
    cleanup: async () => {
      await Promise.all(reopened.map((again) => again.close()));
      await cleanup();
    },
  };
});

eventArchiveContract('SQLite', async () => {
  const { database, cleanup } = temporaryDatabase();
  return { archive: new SqliteEventArchive(database), cleanup };
});

changeFeedContract('SQLite', async () => {
  const { database, cleanup } = temporaryDatabase();
  return {
    feed: new SqliteChangeFeed(database),
    beyond: (position) => String(Number(position) + 1000),
    cleanup,
  };
});

deadLetterSinkContract('SQLite', async () => {
  const { database, cleanup } = temporaryDatabase();
  const sink = new SqliteDeadLetterSink(database);
  return { sink, delivered: () => sink.all(), unknownId: '999999', cleanup };
});

deadLetterRedriveContract('SQLite', async () => {
  const { database, cleanup } = temporaryDatabase();
  const sink = new SqliteDeadLetterSink(database);
  const generations = new SqliteViewGenerations(database);
  const registry = new Registry();
  const engine = new ProjectionEngine(
    new SqliteEventArchive(database),
    generations,
    new SqliteChangeFeed(database),
    sink,
    new ProjectorMetrics(registry),
  );
  return {
    sink,
    engine,
    registry,
    redrive: new DeadLetterRedrive(sink, engine, new RecoveryMetrics(registry)),
    view: async (sessionId) => generations.store(await generations.active()).get(sessionId),
    cleanup,
  };
});

eventLogContract('SQLite', async () => {
  const { database, cleanup } = temporaryDatabase();
  const log = new SqliteEventLog(database);
  return {
    log,
    appended: async () =>
      log.readAfter(0, 10_000).map((logged) => JSON.parse(logged.payload.toString('utf8')) as SessionEvent),
    cleanup,
  };
});
