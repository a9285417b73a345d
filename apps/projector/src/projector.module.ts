import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule } from '@app/config';
import { HealthModule, MetricsModule } from '@app/http';
import { RuntimeModule } from '@app/runtime';

/**
 * The projector on its own: the profile's event log through the projection engine into its view store, with
 * /health, /health/ready and /metrics. In production, scale out by running more instances; the consumer group
 * shares the partitions.
 */
@Module({})
export class ProjectorModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ProjectorModule,
      imports: [
        ConfigModule.forRoot(config),
        RuntimeModule.forRoot(config),
        HealthModule,
        MetricsModule,
        RuntimeModule.projector(config),
      ],
    };
  }
}
