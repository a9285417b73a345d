import { Logger } from '@nestjs/common';
import { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { LogRecord } from '@app/ports';

/** Projects one batch; resolves only once everything it covers is durable, so its offsets may be committed. */
export type RecordBatchHandler = (records: readonly LogRecord[]) => Promise<void>;

export interface EventConsumerSettings {
  topic: string;
  groupId: string;
  /** A larger fetched batch is handed over in slices of this many records, each committed on its own. */
  maxRecordsPerBatch: number;
  /** How long a shutdown waits for the batch in flight before abandoning it uncommitted. */
  shutdownGraceMs: number;
  /**
   * A slice still projecting after this long is reported as stuck (see `stuckSlice`): far above a healthy slice, so
   * only a call that never answers reaches it. The client's heartbeats go on meanwhile, so the group never moves the
   * partition by itself.
   */
  stuckSliceMs: number;
}

export type EventConsumerState = 'stopped' | 'joining' | 'consuming' | 'failed';

export class BatchAbandonedError extends Error {
  constructor() {
    super('shutting down: the batch in flight was abandoned uncommitted and will be redelivered');
    this.name = BatchAbandonedError.name;
  }
}

// How soon the partitions of an instance that died move to the others. Heartbeats go on during a long batch, so
// only a process that is gone (or blocked that long) loses its partitions.
const SESSION_TIMEOUT_MS = 10_000;

// The client only sends a heartbeat when its interval (3 s) has passed, so asking every second costs nothing.
const HEARTBEAT_POLL_MS = 1000;

/**
 * The projector's side of the events topic: a member of the consumer group that hands each partition's records to
 * the handler in order and commits a slice's offsets only after the handler resolved for it. A handler failure
 * commits nothing, and the client fetches the same records again after a backoff; the handler must therefore be
 * idempotent, which the projection engine is.
 */
export class KafkaEventConsumer {
  private readonly logger = new Logger(KafkaEventConsumer.name);
  private consumer: Consumer | undefined;
  private currentState: EventConsumerState = 'stopped';
  private readonly lagByPartition = new Map<number, number>();
  private abandonInFlight: ((error: Error) => void) | undefined;
  /** The slice being projected: its partition and since when. */
  private sliceInFlight: { partition: number; since: number } | undefined;
  private reportFailure!: (error: KafkaError) => void;

  /** Settles only if the client gives up for good (an error it does not retry); the process should then exit. */
  readonly failure: Promise<KafkaError> = new Promise((resolve) => (this.reportFailure = resolve));

  constructor(
    private readonly kafka: Kafka,
    private readonly settings: EventConsumerSettings,
  ) {}

  get state(): EventConsumerState {
    return this.currentState;
  }

  /** Why the slice in flight counts as stuck, or undefined while none has run longer than `stuckSliceMs`. */
  stuckSlice(now = Date.now()): string | undefined {
    const slice = this.sliceInFlight;
    if (!slice || now - slice.since <= this.settings.stuckSliceMs) return undefined;
    return `a slice of partition ${slice.partition} has been projecting for ${Math.round((now - slice.since) / 1000)} s, over ${this.settings.stuckSliceMs / 1000} s: a store call may never answer`;
  }

  /** Records between the last committed offset and the end of each partition this member owns, as last seen. */
  lag(): ReadonlyMap<number, number> {
    return this.lagByPartition;
  }

  async start(handler: RecordBatchHandler): Promise<void> {
    if (this.consumer) throw new Error('the event consumer is already started');
    const { topic, groupId } = this.settings;
    const consumer = this.kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: SESSION_TIMEOUT_MS,
    });
    this.consumer = consumer;
    this.currentState = 'joining';
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      const owned = new Set(payload.memberAssignment[topic] ?? []);
      for (const partition of this.lagByPartition.keys()) {
        if (!owned.has(partition)) this.lagByPartition.delete(partition);
      }
      this.currentState = 'consuming';
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.logger.error(
        `consumer crashed (${payload.restart ? 'restarting' : 'giving up'}): ${payload.error.message}`,
      );
      this.currentState = payload.restart ? 'joining' : 'failed';
      if (!payload.restart)
        this.reportFailure(toKafkaError(payload.error, `consuming ${topic} as ${groupId}`));
    });
    try {
      await consumer.connect();
      // A new group reads the log of record from its very first event.
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        eachBatch: (payload) => this.consumeBatch(payload, handler),
      });
    } catch (error) {
      this.consumer = undefined;
      this.currentState = 'stopped';
      await consumer.disconnect();
      throw toKafkaError(error, `starting to consume ${topic} as ${groupId}`);
    }
  }

  /**
   * Leaves the group cleanly. The slice in flight is finished and committed if it completes within the grace
   * period, otherwise abandoned uncommitted; the slices after it are not started.
   */
  async stop(): Promise<void> {
    const consumer = this.consumer;
    if (!consumer) return;
    this.consumer = undefined;
    const grace = setTimeout(
      () => this.abandonInFlight?.(new BatchAbandonedError()),
      this.settings.shutdownGraceMs,
    );
    try {
      await consumer.disconnect();
    } finally {
      clearTimeout(grace);
      this.currentState = 'stopped';
      this.lagByPartition.clear();
    }
  }

  private async consumeBatch(payload: EachBatchPayload, handler: RecordBatchHandler): Promise<void> {
    const { batch, heartbeat, commitOffsetsIfNecessary, resolveOffset, isRunning, isStale } = payload;
    const { topic, partition, messages, highWatermark } = batch;
    if (messages.length === 0) return;
    this.recordLag(partition, highWatermark, messages[0].offset);
    for (let start = 0; start < messages.length; start += this.settings.maxRecordsPerBatch) {
      if (!isRunning() || isStale()) return;
      const slice = messages.slice(start, start + this.settings.maxRecordsPerBatch);
      const records = slice.map((message) => toLogRecord(topic, partition, message));
      this.sliceInFlight = { partition, since: Date.now() };
      try {
        await this.whileHeartbeating(heartbeat, this.untilAbandoned(handler(records)));
      } finally {
        this.sliceInFlight = undefined;
      }
      const last = slice[slice.length - 1].offset;
      const next = (BigInt(last) + 1n).toString();
      await commitOffsetsIfNecessary({ topics: [{ topic, partitions: [{ partition, offset: next }] }] });
      resolveOffset(last);
      this.recordLag(partition, highWatermark, next);
    }
  }

  private async whileHeartbeating<T>(heartbeat: () => Promise<void>, work: Promise<T>): Promise<T> {
    // A failed heartbeat means the group is rebalancing; finishing the slice is still worth it, and the commit
    // that follows reports the rebalance to the client, which then rejoins.
    const timer = setInterval(() => heartbeat().catch(() => undefined), HEARTBEAT_POLL_MS);
    try {
      return await work;
    } finally {
      clearInterval(timer);
    }
  }

  /** The handler's outcome, unless a shutdown abandons it first; an abandoned handler runs on unobserved. */
  private untilAbandoned<T>(work: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.abandonInFlight = reject;
      void work.then(resolve, reject).finally(() => (this.abandonInFlight = undefined));
    });
  }

  private recordLag(partition: number, highWatermark: string, nextOffset: string): void {
    const lag = BigInt(highWatermark) - BigInt(nextOffset);
    this.lagByPartition.set(partition, lag > 0n ? Number(lag) : 0);
  }
}

function toLogRecord(topic: string, partition: number, message: KafkaMessage): LogRecord {
  return {
    key: message.key === null ? null : message.key.toString('utf8'),
    // A null value is a tombstone nobody should write to the events topic; the engine dead-letters it as invalid.
    value: message.value ?? Buffer.alloc(0),
    source: { topic, partition, offset: message.offset },
  };
}
import { KafkaError, toKafkaError } from '@app/kafka-log';
