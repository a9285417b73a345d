import { AppConfig, ConfigModule } from '@app/config';
import { HealthModule, MetricsModule } from '@app/http';
import { ReadApiModule } from '@app/read-api';
import { RuntimeModule } from '@app/runtime';
import { DynamicModule, Module } from '@nestjs/common';

/** The read side on its own: scales out behind a load balancer, reading the views the projector writes. */
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
      ],
    };
  }
}
