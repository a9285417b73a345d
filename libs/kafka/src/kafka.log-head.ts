import { Admin, Kafka } from 'kafkajs';
import { toKafkaError } from '@app/kafka-log';
import { LogHead, LogPosition } from '@app/ports';

/**
 * The high watermark of each partition of the events topic: the offset just past the last record every in-sync
 * replica holds, which is where a producer's acknowledged records end. One admin connection, kept open and made
 * again after a failure; a read never retries, so a watcher polling it learns of an outage at its next poll.
 */
export class KafkaLogHead extends LogHead {
  private admin: Promise<Admin> | null = null;

  constructor(
    private readonly kafka: Kafka,
    private readonly topic: string,
  ) {
    super();
  }

  async read(): Promise<LogPosition> {
    try {
      const admin = await this.connected();
      const offsets = await admin.fetchTopicOffsets(this.topic);
      return new Map(offsets.map(({ partition, high }) => [partition, Number(high)]));
    } catch (error) {
      void this.close();
      throw toKafkaError(error, `reading the end of ${this.topic}`);
    }
  }

  async close(): Promise<void> {
    const admin = this.admin;
    this.admin = null;
    await admin?.then((connected) => connected.disconnect()).catch(() => undefined);
  }

  private connected(): Promise<Admin> {
    this.admin ??= (async () => {
      const admin = this.kafka.admin({ retry: { retries: 0 } });
      await admin.connect();
      return admin;
    })();
    return this.admin;
  }

  onApplicationShutdown(): Promise<void> {
    return this.close();
  }
}
