import { Injectable, OnModuleInit } from '@nestjs/common';
import { ReadinessChecks } from '@app/http';
import { KafkaEventConsumer } from '@app/kafka';
import { MongoHealth } from '@app/mongo';

/** Ready while the consumer is a member of its group and MongoDB answers: then events are being projected. */
@Injectable()
export class ProjectorReadiness implements OnModuleInit {
  constructor(
    private readonly readiness: ReadinessChecks,
    private readonly consumer: KafkaEventConsumer,
    private readonly mongo: MongoHealth,
  ) {}

  onModuleInit(): void {
    this.readiness.register('kafka-consumer', async () => {
      if (this.consumer.state !== 'consuming') throw new Error(`the consumer is ${this.consumer.state}`);
    });
    this.readiness.register('mongodb', () => this.mongo.ping());
  }
}
