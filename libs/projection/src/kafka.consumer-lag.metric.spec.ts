import { KafkaEventConsumer } from '@app/kafka';
import { Registry } from 'prom-client';
import { ConsumerLagMetric } from './kafka.consumer-lag.metric';

describe(ConsumerLagMetric.name, () => {
  it('reports the lag of exactly the partitions the consumer owns at scrape time', async () => {
    const lag = new Map([
      [0, 12],
      [2, 0],
    ]);
    const registry = new Registry();
    new ConsumerLagMetric(registry, { lag: () => lag } as unknown as KafkaEventConsumer);
    expect(await registry.getSingleMetricAsString('projector_consumer_lag')).toMatch(
      /projector_consumer_lag\{partition="0"\} 12\nprojector_consumer_lag\{partition="2"\} 0/,
    );
    lag.delete(0);
    const scraped = await registry.getSingleMetricAsString('projector_consumer_lag');
    expect(scraped).not.toContain('partition="0"');
    expect(scraped).toContain('projector_consumer_lag{partition="2"} 0');
  });
});
