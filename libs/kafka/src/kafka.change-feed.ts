import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import {
  CHANGE_REPLAY_WINDOW,
  ChangeFeed,
  ChangeScope,
  ChangeSubscription,
  inChangeScope,
  PositionedViewChange,
  SubscribeOptions,
  ViewChange,
} from '@app/ports';
import {
  KafkaError,
  KafkaErrorCode,
  KafkaRecordProducer,
  toKafkaError,
  withKafkaAdmin,
} from '@app/kafka-log';
import { decodePosition, encodePosition, PartitionOffsets } from './change-feed-position';

const CLOSE_WITHIN_MS = 1000;

/**
 * The compacted changes topic, keyed by session_id. Every subscriber reads every partition: its consumer is the
 * only member of a group of its own and commits nothing, because where it stands lives in the positions it hands
 * out, not in the broker.
 */
export class KafkaChangeFeed extends ChangeFeed implements OnApplicationShutdown {
  private readonly logger = new Logger(KafkaChangeFeed.name);
  private readonly consumers = new Set<Consumer>();

  constructor(
    private readonly kafka: Kafka,
    private readonly producer: KafkaRecordProducer,
    private readonly topic: string,
    private readonly clientId: string,
  ) {
    super();
  }

  async publish(changes: readonly ViewChange[]): Promise<void> {
    await this.producer.send(
      this.topic,
      changes.map((change) => ({ key: change.session_id, value: JSON.stringify(change) })),
    );
  }

  async subscribe(
    options: SubscribeOptions,
    onChange: (change: PositionedViewChange) => void,
  ): Promise<ChangeSubscription> {
    const requested = options.after === undefined ? undefined : decodePosition(options.after);
    const positions = await this.startingPositions(requested);
    const consumer = this.kafka.consumer({
      groupId: `${this.clientId}.changes.${randomUUID()}`,
      allowAutoTopicCreation: false,
      // Closing waits for the fetch in flight; a short long-poll keeps closing quick for SSE clients that leave.
      maxWaitTimeInMs: CLOSE_WITHIN_MS,
    });
    // Joining (again, after a crash or a coordinator move) starts from the default offset; this puts the
    // consumer back where the subscriber stands before the first fetch.
    consumer.on(consumer.events.GROUP_JOIN, () => {
      for (const [partition, offset] of positions) {
        consumer.seek({ topic: this.topic, partition, offset: offset.toString() });
      }
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [this.topic] });
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          positions.set(partition, BigInt(message.offset) + 1n);
          this.deliver(message, encodePosition(positions), options.scope, onChange);
        },
      });
    } catch (error) {
      await consumer.disconnect();
      throw toKafkaError(error, `subscribing to ${this.topic}`);
    }
    this.consumers.add(consumer);
    return {
      close: async () => {
        if (this.consumers.delete(consumer)) await consumer.disconnect();
      },
    };
  }

  async onApplicationShutdown(): Promise<void> {
    const open = [...this.consumers];
    this.consumers.clear();
    await Promise.all(open.map((consumer) => consumer.disconnect()));
  }

  /** Where to start in every partition: the end of the topic, or just after the position a subscriber holds. */
  private async startingPositions(requested: PartitionOffsets | undefined): Promise<PartitionOffsets> {
    const partitions = await withKafkaAdmin(this.kafka, `reading the offsets of ${this.topic}`, (admin) =>
      admin.fetchTopicOffsets(this.topic),
    );

    const positions: PartitionOffsets = new Map();
    for (const { partition, low, high } of partitions) {
      const held = requested?.get(partition);
      if (held !== undefined && held > BigInt(high)) throw positionBeyondEnd(partition, held, high);
      // The topic keeps every session's latest change, but a replay reads every record after the position: a
      // position further back than the window would have one connection read the whole topic.
      if (held !== undefined && BigInt(high) - held > BigInt(CHANGE_REPLAY_WINDOW)) {
        throw new KafkaError(
          KafkaErrorCode.InvalidPosition,
          `change-feed position is ${BigInt(high) - held} records behind the end of partition ${partition}, more than ${CHANGE_REPLAY_WINDOW}`,
        );
      }
      // Records below `low` were compacted or deleted; a partition the position does not name is new.
      const start = held === undefined || held < BigInt(low) ? BigInt(low) : held;
      positions.set(partition, requested ? start : BigInt(high));
    }
    for (const partition of requested?.keys() ?? []) {
      if (!positions.has(partition)) {
        throw new KafkaError(
          KafkaErrorCode.InvalidPosition,
          `change-feed position names partition ${partition}, which ${this.topic} does not have`,
        );
      }
    }
    return positions;
  }

  private deliver(
    message: KafkaMessage,
    position: string,
    scope: ChangeScope | undefined,
    onChange: (change: PositionedViewChange) => void,
  ): void {
    const change = parseChange(message.value);
    if (change && !inChangeScope(change, scope)) return;
    if (!change) {
      this.logger.warn(
        `skipped a record at offset ${message.offset} of ${this.topic} that is not a view change`,
      );
      return;
    }
    try {
      onChange({ ...change, position });
    } catch (error) {
      // A failing subscriber must not stall the feed for itself by having the same record redelivered forever.
      this.logger.error(
        `a change-feed subscriber failed on ${change.session_id}: ${(error as Error).message}`,
      );
    }
  }
}

function positionBeyondEnd(partition: number, held: bigint, high: string): KafkaError {
  return new KafkaError(
    KafkaErrorCode.InvalidPosition,
    `change-feed position is at offset ${held} of partition ${partition}, past its end (${high})`,
  );
}

function parseChange(value: Buffer | null): ViewChange | undefined {
  if (value === null) return undefined;
  try {
    const change = JSON.parse(value.toString('utf8')) as Partial<ViewChange> | null;
    return typeof change?.session_id === 'string' && typeof change.version === 'number'
      ? (change as ViewChange)
      : undefined;
  } catch {
    return undefined;
  }
}
