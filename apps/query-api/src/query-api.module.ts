import { AppConfig, ConfigModule, InvalidEnvironmentError } from '@app/config';
import { HealthModule, MetricsModule } from '@app/http';
import { IngestModule } from '@app/ingest';
import { OperationsModule } from '@app/operations';
import { ReadApiModule } from '@app/read-api';
import { RuntimeModule } from '@app/runtime';
import { DynamicModule, Module } from '@nestjs/common';

/**
 * The read side on its own: scales out behind a load balancer, reading the views the projector writes. With
 * INGEST_TOKEN set it also takes `POST /sessions/events` and produces the events to the log, for runtimes that do
 * not speak Kafka; without it that route does not exist, as an ingest open to anyone would be worse than none.
 * On the embedded profile no projector runs in this process, so ingest there would acknowledge events no view ever
 * shows: that configuration does not start.
 */
@Module({})
export class QueryApiModule {
  static forRoot(config: AppConfig): DynamicModule {
    if (config.profile === 'embedded' && config.ingestToken !== null) {
      throw new InvalidEnvironmentError([
        'INGEST_TOKEN is set, but apps/query-api on the embedded profile runs no projector: the events it took would never reach a view. Unset INGEST_TOKEN, run apps/store (npm start) for the embedded profile, or set KAFKA_BROKERS and MONGODB_URI',
      ]);
    }
    return {
      module: QueryApiModule,
      imports: [
        ConfigModule.forRoot(config),
        RuntimeModule.forRoot(config),
        HealthModule,
        MetricsModule,
        ReadApiModule,
        OperationsModule.forRoot(config),
        ...(config.ingestToken !== null ? [IngestModule] : []),
      ],
    };
  }
}
