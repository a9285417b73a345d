import { Injectable } from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';
import { KafkaEventConsumer } from '@app/kafka';

/** Read at scrape time from what the consumer last saw, so it needs no timer and no extra broker requests. */
@Injectable()
export class ConsumerLagMetric {
  readonly gauge: Gauge<'partition'>;

  constructor(registry: Registry, consumer: KafkaEventConsumer) {
    this.gauge = new Gauge({
      name: 'projector_consumer_lag',
      help: 'Events between the committed offset and the end of each partition this instance owns, as of its last batch',
      labelNames: ['partition'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [partition, lag] of consumer.lag()) this.set({ partition: String(partition) }, lag);
      },
    });
  }
}
