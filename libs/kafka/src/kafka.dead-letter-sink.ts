import { DeadLetter, DeadLetterSink } from '@app/ports';
import { KafkaRecordProducer } from '@app/kafka-log';
import { toDeadLetterRecord } from './dead-letter-record';

/** The dead-letter topic: the original record's key and bytes, with why and where it failed in headers. */
export class KafkaDeadLetterSink extends DeadLetterSink {
  constructor(
    private readonly producer: KafkaRecordProducer,
    private readonly topic: string,
  ) {
    super();
  }

  send(letters: readonly DeadLetter[]): Promise<void> {
    const failedAt = new Date();
    return this.producer.send(
      this.topic,
      letters.map((letter) => toDeadLetterRecord(letter, failedAt)),
    );
  }
}
