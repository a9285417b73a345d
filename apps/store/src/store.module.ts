import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule } from '@app/config';
import { HealthModule, MetricsModule } from '@app/http';
import { IngestModule } from '@app/ingest';
import { OperationsModule } from '@app/operations';
import { ReadApiModule } from '@app/read-api';
import { RuntimeModule } from '@app/runtime';

/**
 * The whole product in one process: ingest, the profile's projector and the read side. With no configuration that
 * is the embedded profile, everything on one SQLite file with the log tailer as its projector.
 */
@Module({})
export class StoreModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: StoreModule,
      imports: [
        ConfigModule.forRoot(config),
        RuntimeModule.forRoot(config),
        MetricsModule,
        HealthModule,
        RuntimeModule.projector(config),
        IngestModule,
        ReadApiModule,
        OperationsModule.forRoot(config),
      ],
    };
  }
}
