import { Kafka } from 'kafkajs';

/** Whether a broker answers right now; for readiness probes, so it never retries. */
export class KafkaHealth {
  constructor(private readonly kafka: Kafka) {}

  /** Resolves when the cluster answers a metadata request; rejects with a KafkaError otherwise. */
  async ping(): Promise<void> {
    const admin = this.kafka.admin({ retry: { retries: 0 } });
    try {
      await admin.connect();
      await admin.describeCluster();
    } catch (error) {
      throw toKafkaError(error, 'answering a health check');
    } finally {
      await admin.disconnect();
    }
  }
}
import { toKafkaError } from '@app/kafka-log';
