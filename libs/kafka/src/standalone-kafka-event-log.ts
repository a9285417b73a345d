import { SessionEvent } from '@app/domain';
import { EventLog } from '@app/ports';
import { createKafkaClient, KafkaConnectionOptions } from './kafka-client';
import { KafkaEventLog } from './kafka.event-log';
import { KafkaRecordProducer } from './kafka-record-producer';

export interface StandaloneKafkaEventLogOptions extends KafkaConnectionOptions {
  topic: string;
}

/** The Kafka event log with a connection of its own, for code that runs without Nest: the emitter SDK, scripts. */
export class StandaloneKafkaEventLog extends EventLog {
  private readonly producer: KafkaRecordProducer;
  private readonly log: KafkaEventLog;

  constructor(options: StandaloneKafkaEventLogOptions) {
    super();
    this.producer = new KafkaRecordProducer(createKafkaClient(options));
    this.log = new KafkaEventLog(this.producer, options.topic);
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  append(events: readonly SessionEvent[]): Promise<void> {
    return this.log.append(events);
  }
}
