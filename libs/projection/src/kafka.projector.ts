import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { KafkaEventConsumer } from '@app/kafka';
import { AppliedPositions, LogRecord, positionAfter } from '@app/ports';
import { ProjectionEngine } from './projection-engine';
import { ProjectorRunner } from './projector-runner';

/**
 * Runs the projection engine on the events topic as a member of the projector's consumer group. The consumer
 * commits a slice's offsets only once `process` resolved for it and its position is recorded as applied, so a crash
 * or an error at any point leaves the slice uncommitted and it is projected again, which the engine makes harmless.
 */
@Injectable()
export class KafkaProjector extends ProjectorRunner implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    private readonly consumer: KafkaEventConsumer,
    private readonly engine: ProjectionEngine,
    private readonly applied: AppliedPositions,
    private readonly config: AppConfig,
  ) {
    super();
  }

  /** The client restarts the consumer after any error it can retry; anything else needs a fresh process. */
  get failure(): Promise<Error> {
    return this.consumer.failure;
  }

  describe(): string {
    return `${this.config.kafka!.eventsTopic} as group ${this.config.kafka!.consumerGroup}`;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start((records) => this.project(records));
  }

  // Before any module's onApplicationShutdown closes the Kafka producers and the MongoDB client the engine uses.
  async onModuleDestroy(): Promise<void> {
    await this.consumer.stop();
  }

  private async project(records: readonly LogRecord[]): Promise<void> {
    await this.engine.process(records);
    await this.applied.record(positionAfter(records));
  }
}
