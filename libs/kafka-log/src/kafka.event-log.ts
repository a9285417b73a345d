import { SessionEvent } from '@app/domain';
import { EventLog, LogPosition } from '@app/ports';
import { KafkaRecordProducer } from './kafka-record-producer';

export const EVENT_TYPE_HEADER = 'event-type';

/** Keyed by session_id, so a session's events share a partition and keep their order. */
export class KafkaEventLog extends EventLog {
  constructor(
    private readonly producer: KafkaRecordProducer,
    private readonly topic: string,
  ) {
    super();
  }

  append(events: readonly SessionEvent[]): Promise<LogPosition> {
    return this.producer.send(
      this.topic,
      events.map((event) => ({
        key: event.session_id,
        value: JSON.stringify(event),
        headers: { [EVENT_TYPE_HEADER]: event.type },
      })),
    );
  }
}
