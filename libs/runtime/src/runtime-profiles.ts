import { DynamicModule, Type } from '@nestjs/common';
import { RuntimeProfile } from '@app/config';
import { KafkaModule } from '@app/kafka';
import { MongoModule } from '@app/mongo';
import { KafkaProjectorModule, SqliteProjectorModule } from '@app/projection';
import { SqliteModule } from '@app/sqlite';

/** The groups of ports a process can ask for: a tool asks only for the ones its commands touch. */
export type PortGroup =
  /** ViewGenerations and EventArchive: reading, verifying and rebuilding views. */
  | 'storage'
  /** Every port: EventLog, EventArchive, ViewGenerations, ChangeFeed, DeadLetterSink. */
  | 'all';

/** Which adapters make up a profile: a third store is one more entry, and no app changes. */
export interface ProfileAdapters {
  /** The adapter modules that provide the ports of `group`. */
  ports(group: PortGroup): DynamicModule[];
  /** What runs the projection engine on this profile's event log. */
  projector: Type;
}

export const RUNTIME_PROFILES: Record<RuntimeProfile, ProfileAdapters> = {
  // Events, changes and dead letters on Kafka; views and archive on MongoDB.
  production: {
    ports: (group) =>
      group === 'all' ? [KafkaModule.forRoot(), MongoModule.forRoot()] : [MongoModule.forRoot()],
    projector: KafkaProjectorModule,
  },
  // Everything in one SQLite file.
  embedded: {
    ports: () => [SqliteModule.forRoot()],
    projector: SqliteProjectorModule,
  },
};
