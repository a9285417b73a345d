import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule } from '@app/config';
import { HealthModule, MetricsModule } from '@app/http';
import { ProjectionModule } from '@app/projection';
import { RuntimeModule } from '@app/runtime';
import { ConsumerLagMetric } from './consumer-lag.metric';
import { KafkaProjector } from './kafka-projector';
import { ProjectorReadiness } from './projector-readiness';

/**
 * The production projector: the events topic through the projection engine into MongoDB, with /health,
 * /health/ready and /metrics. Scale out by running more instances; the consumer group shares the partitions.
 */
@Module({})
export class ProjectorModule {
  static forRoot(config: AppConfig): DynamicModule {
    if (config.profile !== 'production') {
      throw new Error(
        'apps/projector projects the Kafka topic into MongoDB: set KAFKA_BROKERS and MONGODB_URI (the embedded ' +
          'profile projects inside apps/store)',
      );
    }
    return {
      module: ProjectorModule,
      imports: [
        ConfigModule.forRoot(config),
        RuntimeModule.forRoot(config),
        HealthModule,
        MetricsModule,
        ProjectionModule,
      ],
      providers: [KafkaProjector, ProjectorReadiness, ConsumerLagMetric],
    };
  }
}
