import type { SessionEvent } from '@app/domain';

/**
 * The log of record that runtimes append to: a Kafka topic keyed by session_id in production, an append-only SQLite
 * table in the embedded profile. Consuming it is the projector's business and differs per technology (a consumer
 * group, a tailer), so the port only covers appending.
 */
export abstract class EventLog {
  /** Resolves once every event is durable (acks from all in-sync replicas, or a committed transaction). */
  abstract append(events: readonly SessionEvent[]): Promise<void>;
}
