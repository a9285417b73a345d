import type { SessionEvent } from '@app/domain';
import type { ArchiveConflict } from './event-archive';
import type { LogPosition } from './log-position';

/**
 * The log of record that runtimes append to: a Kafka topic keyed by session_id in production, an append-only SQLite
 * table in the embedded profile. Consuming it is the projector's business and differs per technology (a consumer
 * group, a tailer), so the port only covers appending.
 */
export abstract class EventLog {
  /**
   * Resolves once every event is durable (acks from all in-sync replicas, or a committed transaction). A log that
   * enforces uniqueness itself (the embedded one) skips events it already holds and rejects the whole batch with an
   * `EventLogConflictError` when an event collides with another; Kafka cannot tell, and leaves conflicts to the
   * projector's archive, which dead-letters them.
   *
   * Resolves with the position just past the batch: once the projection has applied it, every read shows these
   * events (those the log already held included).
   */
  abstract append(events: readonly SessionEvent[]): Promise<LogPosition>;
}

export enum EventLogErrorCode {
  /** Another event already holds an event's (session_id, seq) or its event_id; nothing of the batch was appended. */
  Conflict = 'event_log_conflict',
}

export class EventLogConflictError extends Error {
  readonly code = EventLogErrorCode.Conflict;

  constructor(readonly conflicts: readonly ArchiveConflict[]) {
    super(
      `${conflicts.length} event(s) collide with events already in the log: ` +
        conflicts
          .slice(0, 3)
          .map(({ event, reason }) => `${event.event_id} (${reason})`)
          .join(', '),
    );
    this.name = EventLogConflictError.name;
  }
}
