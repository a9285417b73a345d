import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { KafkaEventConsumer } from '@app/kafka';
import { LogRecord } from '@app/ports';
import { ProjectionEngine } from './projection-engine';

/**
 * Runs the projection engine on the events topic as a member of the projector's consumer group. The consumer
 * commits a slice's offsets only once `process` resolved for it, so a crash or an error at any point leaves the
 * slice uncommitted and it is projected again, which the engine makes harmless.
 */
@Injectable()
export class KafkaProjector implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    private readonly consumer: KafkaEventConsumer,
    private readonly engine: ProjectionEngine,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start((records) => this.project(records));
  }

  // Before any module's onApplicationShutdown closes the Kafka producers and the MongoDB client the engine uses.
  async onModuleDestroy(): Promise<void> {
    await this.consumer.stop();
  }

  private async project(records: readonly LogRecord[]): Promise<void> {
    await this.engine.process(records);
  }
}
