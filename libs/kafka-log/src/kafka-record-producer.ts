import { Kafka, Message, Partitioners, Producer, RecordMetadata } from 'kafkajs';
import { LogPosition } from '@app/ports';
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
  /** The partition each message of a send went to: the broker answers one base offset per partition. */
  private readonly partitionOf = new WeakMap<Message, number>();

  constructor(kafka: Kafka) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // The Java client's partitioner, so every producer of a session's events picks the same partition.
      createPartitioner: () => {
        const choose = Partitioners.DefaultPartitioner();
        return (args) => {
          const partition = choose(args);
          this.partitionOf.set(args.message, partition);
          return partition;
        };
      },
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

  /** Resolves, once every in-sync replica has the records, with the position just past them. */
  async send(topic: string, records: readonly OutgoingRecord[]): Promise<LogPosition> {
    if (records.length === 0) return new Map();
    const messages: Message[] = records.map(({ key, value, headers }) => ({ key, value, headers }));
    let acknowledged: RecordMetadata[];
    try {
      acknowledged = await this.producer.send({ topic, acks: -1, messages });
    } catch (error) {
      throw toKafkaError(error, `producing ${records.length} record(s) to ${topic}`);
    }
    return this.positionPast(messages, acknowledged);
  }

  /** A partition's records of one send are appended together, from its base offset on. */
  private positionPast(messages: readonly Message[], acknowledged: readonly RecordMetadata[]): LogPosition {
    const counts = new Map<number, number>();
    for (const message of messages) {
      const partition = this.partitionOf.get(message)!;
      counts.set(partition, (counts.get(partition) ?? 0) + 1);
    }
    return new Map(
      acknowledged.map(({ partition, baseOffset }) => [
        partition,
        Number(baseOffset) + (counts.get(partition) ?? 0),
      ]),
    );
  }

  onModuleInit(): Promise<void> {
    return this.connect();
  }

  // After every module's onModuleDestroy, so a consumer still finishing its batch can publish and dead-letter.
  onApplicationShutdown(): Promise<void> {
    return this.disconnect();
  }
}
