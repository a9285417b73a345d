import { Kafka, logLevel } from 'kafkajs';
import { SessionEvent } from '@app/domain';
import { EventLog, LogPosition } from '@app/ports';
import { KafkaEventLog } from './kafka.event-log';
import { KafkaRecordProducer } from './kafka-record-producer';

export interface StandaloneKafkaEventLogOptions {
  brokers: readonly string[];
  clientId: string;
  topic: string;
}

/**
 * The Kafka event log with a connection of its own, for code that runs without Nest: the emitter SDK, scripts.
 * The client logs through its own console logger, warnings and errors only.
 */
export class StandaloneKafkaEventLog extends EventLog {
  private readonly producer: KafkaRecordProducer;
  private readonly log: KafkaEventLog;

  constructor(options: StandaloneKafkaEventLogOptions) {
    super();
    const kafka = new Kafka({
      clientId: options.clientId,
      brokers: [...options.brokers],
      logLevel: logLevel.WARN,
    });
    this.producer = new KafkaRecordProducer(kafka);
    this.log = new KafkaEventLog(this.producer, options.topic);
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  append(events: readonly SessionEvent[]): Promise<LogPosition> {
    return this.log.append(events);
  }
}
