import { Kafka } from 'kafkajs';
import { KafkaRecordProducer } from '@app/kafka-log';
import { DeadLetter, DeadLetterQuery, DeadLetterSink, selectDeadLetters, StoredDeadLetter } from '@app/ports';
import {
  fromDeadLetterRecord,
  redrivenMarkerOf,
  toDeadLetterRecord,
  toRedrivenMarker,
} from './dead-letter-record';
import { readTopicToEnd } from './kafka-topic-reader';

/** A letter's id in the topic: where it sits, `<partition>:<offset>`. */
const LETTER_ID = /^(0|[1-9][0-9]{0,8}):(0|[1-9][0-9]{0,18})$/;

/**
 * The dead-letter topic: the original record's key and bytes, with why and where it failed in headers. Listing reads
 * the topic from its start (it keeps 90 days of letters, and letters are few), folding re-drive markers in.
 */
export class KafkaDeadLetterSink extends DeadLetterSink {
  constructor(
    private readonly producer: KafkaRecordProducer,
    private readonly topic: string,
    private readonly kafka: Kafka,
  ) {
    super();
  }

  async send(letters: readonly DeadLetter[]): Promise<void> {
    const failedAt = new Date();
    await this.producer.send(
      this.topic,
      letters.map((letter) => toDeadLetterRecord(letter, failedAt)),
    );
  }

  async list(query: DeadLetterQuery = {}): Promise<StoredDeadLetter[]> {
    return selectDeadLetters(await this.readAll(), query);
  }

  async show(id: string): Promise<StoredDeadLetter | undefined> {
    if (!LETTER_ID.test(id)) return undefined;
    return (await this.readAll()).find((letter) => letter.id === id);
  }

  async markRedriven(id: string, at: Date): Promise<void> {
    await this.producer.send(this.topic, [toRedrivenMarker(id, at)]);
  }

  /** Every letter in the topic, oldest first: by the time it failed, then by its place in the topic. */
  private async readAll(): Promise<StoredDeadLetter[]> {
    const letters = new Map<string, StoredDeadLetter>();
    const redriven = new Map<string, string>();
    await readTopicToEnd(this.kafka, this.topic, async (records) => {
      for (const { partition, message } of records) {
        const marker = redrivenMarkerOf(message);
        if (marker) {
          redriven.set(marker.id, marker.at);
          continue;
        }
        const id = `${partition}:${message.offset}`;
        letters.set(id, { id, ...fromDeadLetterRecord(message) });
      }
    });
    const ordered = [...letters.values()].sort(byAge);
    return ordered.map((letter) =>
      redriven.has(letter.id) ? { ...letter, redrivenAt: redriven.get(letter.id)! } : letter,
    );
  }
}

function byAge(a: StoredDeadLetter, b: StoredDeadLetter): number {
  if (a.failedAt !== b.failedAt) return a.failedAt < b.failedAt ? -1 : 1;
  const [pa, oa] = a.id.split(':').map(BigInt);
  const [pb, ob] = b.id.split(':').map(BigInt);
  if (pa !== pb) return pa < pb ? -1 : 1;
  return oa < ob ? -1 : oa > ob ? 1 : 0;
}
