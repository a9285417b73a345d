import { Admin, Kafka, KafkaJSError, KafkaJSProtocolError } from 'kafkajs';
import { KafkaError, KafkaErrorCode, toKafkaError } from './kafka.errors';

/**
 * How long an admin or offset call keeps retrying a retriable answer. A broker answers "not the leader" or "does not
 * host this topic-partition" while leadership moves or a new topic's partitions load, which on a loaded machine took
 * several seconds; past this bound the condition is an outage, reported to the caller.
 */
export const KAFKA_RETRY_BOUND_MS = 60_000;

const FIRST_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 2_000;

/**
 * Answers Kafka itself classes as retriable (its InvalidMetadataException and coordinator families): the cluster's
 * metadata is moving, and the same request succeeds once it settled. UNKNOWN_TOPIC_OR_PARTITION belongs here because
 * a partition that is still loading answers it; a topic that really is missing then fails after the bound.
 */
const RETRIABLE_PROTOCOL_ERRORS: ReadonlySet<string> = new Set([
  'NOT_LEADER_FOR_PARTITION',
  'LEADER_NOT_AVAILABLE',
  'UNKNOWN_TOPIC_OR_PARTITION',
  'GROUP_COORDINATOR_NOT_AVAILABLE',
  'NOT_COORDINATOR_FOR_GROUP',
  'GROUP_LOAD_IN_PROGRESS',
  'FENCED_LEADER_EPOCH',
  'UNKNOWN_LEADER_EPOCH',
]);

/** The client's own errors for metadata it has not loaded yet or a coordinator it could not find. */
const RETRIABLE_CLIENT_ERRORS: ReadonlySet<string> = new Set([
  'KafkaJSMetadataNotLoaded',
  'KafkaJSTopicMetadataNotLoaded',
  'KafkaJSGroupCoordinatorNotFound',
  'KafkaJSStaleTopicMetadataAssignment',
]);

/** Whether anything in the error's chain (causes, and the parts of an aggregate) is a retriable Kafka answer. */
export function isRetriableKafkaError(error: unknown): boolean {
  const pending: unknown[] = [error];
  const seen = new Set<unknown>();
  while (pending.length > 0) {
    const current = pending.pop();
    if (!(current instanceof Error) || seen.has(current)) continue;
    seen.add(current);
    if (current instanceof KafkaJSProtocolError && RETRIABLE_PROTOCOL_ERRORS.has(current.type)) return true;
    if (current instanceof KafkaJSError && RETRIABLE_CLIENT_ERRORS.has(current.name)) return true;
    pending.push(current.cause);
    const parts = (current as { errors?: unknown }).errors;
    if (Array.isArray(parts)) pending.push(...parts);
  }
  return false;
}

/**
 * Whether a failed send is worth sending again: no broker answered, an answer timed out, or the cluster's metadata
 * was moving. A refusal (too large, not authorized, no such topic) fails the same way every time.
 */
export function isTransientKafkaFailure(error: unknown): boolean {
  if (error instanceof KafkaError && error.code !== KafkaErrorCode.Unexpected)
    return TRANSIENT_CODES.has(error.code);
  return isRetriableKafkaError(error);
}

const TRANSIENT_CODES: ReadonlySet<KafkaErrorCode> = new Set([
  KafkaErrorCode.BrokerUnavailable,
  KafkaErrorCode.Timeout,
]);

export interface RetryClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: RetryClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface RetryOptions {
  boundMs?: number;
  clock?: RetryClock;
}

/**
 * Runs `work`, again after a growing pause while it fails with a retriable answer, for at most the bound. Any other
 * failure, and the last one past the bound, is raised as a KafkaError saying what `action` was.
 */
export async function retryRetriable<T>(
  action: string,
  work: () => Promise<T>,
  { boundMs = KAFKA_RETRY_BOUND_MS, clock = realClock }: RetryOptions = {},
): Promise<T> {
  const deadline = clock.now() + boundMs;
  for (let backoff = FIRST_BACKOFF_MS; ; backoff = Math.min(backoff * 2, MAX_BACKOFF_MS)) {
    try {
      return await work();
    } catch (error) {
      const remaining = deadline - clock.now();
      if (!isRetriableKafkaError(error) || remaining <= 0) throw toKafkaError(error, action);
      await clock.sleep(Math.min(backoff, remaining));
    }
  }
}

/**
 * The one way the adapters make admin and offset calls: a connected admin client, every call through it retried
 * as `retryRetriable` does, and the connection closed afterwards.
 */
export async function withKafkaAdmin<T>(
  kafka: Kafka,
  action: string,
  work: (admin: RetryingAdmin) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const admin = kafka.admin();
  try {
    await retryRetriable(`connecting to the cluster for ${action}`, () => admin.connect(), options);
    return await work(new RetryingAdmin(admin, action, options));
  } finally {
    await admin.disconnect();
  }
}

/** The admin calls the adapters and operations use, each retried within the bound. */
export class RetryingAdmin {
  constructor(
    private readonly admin: Admin,
    private readonly action: string,
    private readonly options: RetryOptions,
  ) {}

  /** Runs any call on the raw admin client under the same retry policy. */
  call<T>(work: (admin: Admin) => Promise<T>): Promise<T> {
    return retryRetriable(this.action, () => work(this.admin), this.options);
  }

  listTopics(): Promise<string[]> {
    return this.call((admin) => admin.listTopics());
  }

  fetchTopicOffsets(topic: string): Promise<{ partition: number; low: string; high: string }[]> {
    return this.call((admin) => admin.fetchTopicOffsets(topic));
  }

  fetchTopicOffsetsByTimestamp(
    topic: string,
    timestamp: number,
  ): Promise<{ partition: number; offset: string }[]> {
    return this.call((admin) => admin.fetchTopicOffsetsByTimestamp(topic, timestamp));
  }

  /** Committed offsets of a group; -1 where it has committed none. */
  fetchOffsets(groupId: string, topic: string): Promise<{ partition: number; offset: string }[]> {
    return this.call(async (admin) => {
      const [answer] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return answer?.partitions ?? [];
    });
  }

  /**
   * Waits until every partition of the topics has a leader that answers for it: what "created" means to the
   * producers and consumers that use them next, which would otherwise meet "not the leader" for a while.
   */
  waitForLeaders(topics: readonly string[]): Promise<void> {
    return this.call(async (admin) => {
      const { topics: described } = await admin.fetchTopicMetadata({ topics: [...topics] });
      for (const { name, partitions } of described) {
        const leaderless = partitions.find(({ leader }) => leader < 0);
        if (leaderless) {
          throw new KafkaJSProtocolError(
            Object.assign(new Error(`partition ${leaderless.partitionId} of ${name} has no leader yet`), {
              type: 'LEADER_NOT_AVAILABLE',
              code: 5,
            }),
          );
        }
      }
      // The leader only answers list-offsets once it hosts the partition, which the metadata above can precede.
      for (const topic of topics) await admin.fetchTopicOffsets(topic);
    });
  }
}
