import { AppConfig, ConfigModule } from '@app/config';
import { HealthModule, MetricsModule } from '@app/http';
import { IngestModule } from '@app/ingest';
import { ReadApiModule } from '@app/read-api';
import { RuntimeModule } from '@app/runtime';
import { DynamicModule, Module } from '@nestjs/common';

/**
 * The read side on its own: scales out behind a load balancer, reading the views the projector writes. With
 * INGEST_TOKEN set it also takes `POST /sessions/events` and produces the events to the log, for runtimes that do
 * not speak Kafka; without it that route does not exist, as an ingest open to anyone would be worse than none.
 */
@Module({})
export class QueryApiModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: QueryApiModule,
      imports: [
        ConfigModule.forRoot(config),
        RuntimeModule.forRoot(config),
        HealthModule,
        MetricsModule,
        ReadApiModule,
        ...(config.ingestToken !== null ? [IngestModule] : []),
      ],
    };
  }
}
