import { AppConfig } from '@app/config';
import { AppliedPositions, EventArchive, ViewGenerations } from '@app/ports';
import { DynamicModule, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { Db, MongoClient } from 'mongodb';
import { MongoHealth } from './mongo-health';
import { MongoStoreError, MongoStoreErrorCode } from './mongo-store.error';
import { MongoAppliedPositions } from './mongo.applied-positions';
import { MongoEventArchive } from './mongo.event-archive';
import { MongoViewGenerations } from './mongo.view-generations';

/**
 * The production profile's storage ports on MongoDB. One MongoClient per process, connected before anything is
 * served and closed at the very end of shutdown, after every module's onModuleDestroy, so a projector can still
 * finish its last batch while stopping. Global, like the embedded SqliteModule, because the modules that consume the
 * ports import no adapter themselves.
 */
@Module({})
export class MongoModule implements OnApplicationShutdown {
  constructor(@Inject(MongoClient) private readonly client: MongoClient) {}

  static forRoot(): DynamicModule {
    return {
      module: MongoModule,
      global: true,
      providers: [
        { provide: MongoClient, inject: [AppConfig], useFactory: connect },
        {
          provide: Db,
          inject: [MongoClient, AppConfig],
          useFactory: (client: MongoClient, config: AppConfig) => client.db(mongoConfigOf(config).database),
        },
        {
          provide: EventArchive,
          inject: [Db, AppConfig],
          useFactory: (db: Db, config: AppConfig) =>
            MongoEventArchive.open(db, { wrapNestedArrays: mongoConfigOf(config).wrapNestedArrays }),
        },
        {
          provide: ViewGenerations,
          inject: [Db, AppConfig],
          useFactory: (db: Db, config: AppConfig) =>
            new MongoViewGenerations(db, { wrapNestedArrays: mongoConfigOf(config).wrapNestedArrays }),
        },
        { provide: AppliedPositions, inject: [Db], useFactory: (db: Db) => new MongoAppliedPositions(db) },
        MongoHealth,
      ],
      exports: [EventArchive, ViewGenerations, AppliedPositions, MongoHealth],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}

/**
 * Every write of the process (archive, views, generations) carries the configured write concern, by default
 * `w: "majority", j: true`: an acknowledged event or view is then journaled on a majority of the replica set and
 * survives a crash of the primary or a failover; with `w: 1` and no journal wait a crash can lose what was
 * acknowledged. The server-selection bound makes an operation fail within it when no server can be reached, instead
 * of the driver's 30 s: a read then answers 503 at once and serves again as soon as the server is back, and a
 * projector batch fails and is redelivered from the log (nothing is committed before the writes succeed).
 */
async function connect(config: AppConfig): Promise<MongoClient> {
  const { uri, writeConcern, serverSelectionTimeoutMS } = mongoConfigOf(config);
  const client = new MongoClient(uri, { writeConcern, serverSelectionTimeoutMS });
  await client.connect();
  return client;
}

function mongoConfigOf(config: AppConfig): NonNullable<AppConfig['mongo']> {
  if (config.mongo === null) {
    throw new MongoStoreError(
      MongoStoreErrorCode.NotConfigured,
      'MongoModule needs MONGODB_URI: it belongs to the production profile',
    );
  }
  return config.mongo;
}
