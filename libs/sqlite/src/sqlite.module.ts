import { DynamicModule, Module, OnApplicationShutdown, Provider } from '@nestjs/common';
import { AppConfig } from '@app/config';
import {
  AppliedPositions,
  ChangeFeed,
  DeadLetterSink,
  EventArchive,
  EventLog,
  LogHead,
  ViewGenerations,
} from '@app/ports';
import { SqliteAppliedPositions, SqliteLogHead } from './log-positions';
import { SqliteChangeFeed } from './sqlite.change-feed';
import { SqliteDatabase } from './sqlite.database';
import { SqliteDeadLetterSink } from './sqlite.dead-letter-sink';
import { SqliteEventArchive } from './sqlite.event-archive';
import { SqliteEventLog } from './sqlite.event-log';
import { SqliteViewGenerations } from './sqlite.view-generations';
import { SqliteSpaceReadiness } from './sqlite-space.readiness';

/** Closes the database after everything that writes to it has stopped (Nest calls shutdown hooks last). */
class SqliteDatabaseCloser implements OnApplicationShutdown {
  constructor(private readonly database: SqliteDatabase) {}

  onApplicationShutdown(): Promise<void> {
    return this.database.close();
  }
}

const ADAPTERS = [
  [EventLog, SqliteEventLog],
  [EventArchive, SqliteEventArchive],
  [ViewGenerations, SqliteViewGenerations],
  [ChangeFeed, SqliteChangeFeed],
  [DeadLetterSink, SqliteDeadLetterSink],
  [AppliedPositions, SqliteAppliedPositions],
] as const;

/**
 * Every port on one SQLite file under `AppConfig.dataDir`: the embedded profile. Global, because the modules that
 * consume the ports (projection, ingest, read API) import none of the adapters themselves. The concrete adapters
 * are exported too, for what only the embedded profile has (the tailer's reads, the dead-letter listing).
 */
@Module({})
export class SqliteModule {
  static forRoot(): DynamicModule {
    const adapters: Provider[] = ADAPTERS.flatMap(([port, adapter]) => [
      {
        provide: adapter,
        useFactory: (database: SqliteDatabase) => new adapter(database),
        inject: [SqliteDatabase],
      },
      { provide: port, useExisting: adapter },
    ]);
    return {
      module: SqliteModule,
      global: true,
      providers: [
        {
          provide: SqliteDatabase,
          useFactory: (config: AppConfig) => SqliteDatabase.open(config.dataDir),
          inject: [AppConfig],
        },
        {
          provide: SqliteDatabaseCloser,
          useFactory: (database: SqliteDatabase) => new SqliteDatabaseCloser(database),
          inject: [SqliteDatabase],
        },
        ...adapters,
        {
          provide: LogHead,
          useFactory: (log: SqliteEventLog) => new SqliteLogHead(log),
          inject: [SqliteEventLog],
        },
        SqliteSpaceReadiness,
      ],
      exports: [SqliteDatabase, ...ADAPTERS.flat(), LogHead],
    };
  }
}
