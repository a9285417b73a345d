import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { KafkaModule } from '@app/kafka';
import { MongoModule } from '@app/mongo';
import { SqliteModule } from '@app/sqlite';

/**
 * The one place that knows the two runtime profiles. Apps import this and inject ports; none of them branches on
 * the profile. It is global, so lib modules (projection, replay, read API) inject ports without importing it.
 * Production: events, changes and dead letters on Kafka, views and archive on MongoDB. Embedded:
 * everything in one SQLite file.
 */
@Module({})
export class RuntimeModule {
  /** Every port: EventLog, EventArchive, ViewGenerations, ChangeFeed, DeadLetterSink. */
  static forRoot(config: AppConfig): DynamicModule {
    const adapters =
      config.profile === 'production'
        ? [KafkaModule.forRoot(), MongoModule.forRoot()]
        : [SqliteModule.forRoot()];
    return { module: RuntimeModule, global: true, imports: adapters, exports: adapters };
  }

  /** Only what reads and rebuilds need (EventArchive, ViewGenerations): tools that must not touch the broker. */
  static forStorage(config: AppConfig): DynamicModule {
    const adapters = config.profile === 'production' ? [MongoModule.forRoot()] : [SqliteModule.forRoot()];
    return { module: RuntimeModule, global: true, imports: adapters, exports: adapters };
  }
}
