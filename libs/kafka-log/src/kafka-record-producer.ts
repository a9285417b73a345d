import { Kafka, Partitioners, Producer } from 'kafkajs';
import { toKafkaError } from './kafka.errors';

export interface OutgoingRecord {
  key: string | null;
  value: Buffer | string;
  headers?: Record<string, string>;
}

/**
 * The one producer the event log, the change feed and the dead-letter sink share. Idempotent, so a retried
 * request never writes a record twice, and acknowledged by every in-sync replica before a send resolves.
 * Free of Nest, so the emitter SDK loads without it; Nest calls the two lifecycle hooks below by name.
 */
export class KafkaRecordProducer {
  private readonly producer: Producer;

  constructor(kafka: Kafka) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // The Java client's partitioner, so every producer of a session's events picks the same partition.
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  async connect(): Promise<void> {
    try {
      await this.producer.connect();
    } catch (error) {
      throw toKafkaError(error, 'connecting the producer');
    }
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  async send(topic: string, records: readonly OutgoingRecord[]): Promise<void> {
    if (records.length === 0) return;
    try {
      await this.producer.send({
        topic,
        acks: -1,
        messages: records.map(({ key, value, headers }) => ({ key, value, headers })),
      });
    } catch (error) {
      throw toKafkaError(error, `producing ${records.length} record(s) to ${topic}`);
    }
  }

  onModuleInit(): Promise<void> {
    return this.connect();
  }

  // After every module's onModuleDestroy, so a consumer still finishing its batch can publish and dead-letter.
  onApplicationShutdown(): Promise<void> {
    return this.disconnect();
  }
}
