import { Kafka } from 'kafkajs';
import { withKafkaAdmin } from '@app/kafka-log';
import type { LogRecord } from '@app/ports';
import { readTopicToEnd } from './kafka-topic-reader';

/** Where a read starts: the first offset still kept, or the first record written at or after an instant. */
export type KafkaLogStart = { kind: 'earliest' } | { kind: 'time'; at: Date };

/**
 * Direct reads of the events topic for recovery (the shape of `EventLogReader` in @app/recovery): no consumer group of
 * the projector's, nothing committed, up to the end each partition had when the read began.
 */
export class KafkaEventLogReader {
  constructor(
    private readonly kafka: Kafka,
    private readonly topic: string,
  ) {}

  async size(start: KafkaLogStart): Promise<number> {
    const [starts, offsets] = await Promise.all([this.starts(start), this.offsets()]);
    return offsets.reduce((sum, { partition, low, high }) => {
      const from = starts.get(partition) ?? BigInt(low);
      return sum + Math.max(0, Number(BigInt(high) - (from < BigInt(low) ? BigInt(low) : from)));
    }, 0);
  }

  async read(start: KafkaLogStart, handle: (records: readonly LogRecord[]) => Promise<void>): Promise<void> {
    await readTopicToEnd(
      this.kafka,
      this.topic,
      (records) =>
        handle(
          records.map(({ partition, message }) => ({
            key: message.key === null ? null : message.key.toString('utf8'),
            value: message.value ?? Buffer.alloc(0),
            source: { topic: this.topic, partition, offset: message.offset },
          })),
        ),
      { from: await this.starts(start) },
    );
  }

  private offsets(): Promise<{ partition: number; low: string; high: string }[]> {
    return withKafkaAdmin(this.kafka, `reading the offsets of ${this.topic}`, (admin) =>
      admin.fetchTopicOffsets(this.topic),
    );
  }

  /**
   * The offset of the first record at or after the instant in each partition; the partition's end where none is
   * that recent (the broker answers -1 then).
   */
  private async starts(start: KafkaLogStart): Promise<Map<number, bigint>> {
    if (start.kind === 'earliest') return new Map();
    const [found, offsets] = await Promise.all([
      withKafkaAdmin(this.kafka, `finding ${start.at.toISOString()} in ${this.topic}`, (admin) =>
        admin.fetchTopicOffsetsByTimestamp(this.topic, start.at.getTime()),
      ),
      this.offsets(),
    ]);
    const ends = new Map(offsets.map(({ partition, high }) => [partition, BigInt(high)]));
    return new Map(
      found.map(({ partition, offset }) => [
        partition,
        BigInt(offset) < 0n ? (ends.get(partition) ?? 0n) : BigInt(offset),
      ]),
    );
  }
}
