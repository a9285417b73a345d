import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule } from '@app/config';
import { HealthModule, MetricsModule } from '@app/http';
import { IngestModule } from '@app/ingest';
import { ReadApiModule } from '@app/read-api';
import { SqliteModule, SqliteProjectorModule } from '@app/sqlite';

/** The whole product in one process on one SQLite file: ingest, the log tailer (projector) and the read side. */
@Module({})
export class StoreModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: StoreModule,
      imports: [
        ConfigModule.forRoot(config),
        SqliteModule.forRoot(),
        MetricsModule,
        HealthModule,
        SqliteProjectorModule,
        IngestModule,
        ReadApiModule,
      ],
    };
  }
}
