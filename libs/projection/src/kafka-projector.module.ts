import { Inject, Injectable, Module, OnModuleInit, Optional } from '@nestjs/common';
import { ReadinessChecks } from '@app/http';
import { KafkaEventConsumer } from '@app/kafka';
import { ConsumerLagMetric } from './kafka.consumer-lag.metric';
import { KafkaProjector } from './kafka.projector';
import { ProjectionModule } from './projection.module';
import { ProjectorRunner } from './projector-runner';

/**
 * Ready while the consumer is a member of its group and no slice is stuck: then its partitions are being projected.
 * A stuck slice (a store call that never answers) would otherwise hold its partition with the projector still
 * ready; not ready, it shows on /health/ready and an orchestrator can replace the process.
 */
@Injectable()
export class KafkaConsumerReadiness implements OnModuleInit {
  constructor(
    private readonly consumer: KafkaEventConsumer,
    // An explicit token: the metadata of an optional parameter's type is Object.
    @Optional() @Inject(ReadinessChecks) private readonly readiness?: ReadinessChecks,
  ) {}

  onModuleInit(): void {
    this.readiness?.register('kafka-consumer', async () => {
      if (this.consumer.state !== 'consuming') throw new Error(`the consumer is ${this.consumer.state}`);
      const stuck = this.consumer.stuckSlice();
      if (stuck) throw new Error(stuck);
    });
  }
}

/**
 * The production projector: the Kafka consumer group through the projection engine. Needs KafkaModule.forRoot(),
 * the view and archive ports and a prom-client Registry in the application. Whether the views can be written is
 * the engine's own readiness check (GenerationReadiness), whatever store holds them.
 */
@Module({
  imports: [ProjectionModule],
  providers: [
    KafkaProjector,
    { provide: ProjectorRunner, useExisting: KafkaProjector },
    KafkaConsumerReadiness,
    ConsumerLagMetric,
  ],
  exports: [ProjectorRunner],
})
export class KafkaProjectorModule {}
