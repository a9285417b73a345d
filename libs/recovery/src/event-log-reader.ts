import type { LogRecord } from '@app/ports';

/** Where a read of the log starts in every partition. */
export type LogStart = { kind: 'earliest' } | { kind: 'time'; at: Date };

/**
 * Direct reads of the event log for recovery, beside the projector's consumer group and never moving it. An adapter
 * reads from the start up to the end each partition had when the read began, each partition in order.
 */
export abstract class EventLogReader {
  /** How many records a read from `start` covers right now, for progress. */
  abstract size(start: LogStart): Promise<number>;

  /** Hands the records to `handle` a batch at a time; the next batch waits for `handle` to resolve. */
  abstract read(start: LogStart, handle: (records: readonly LogRecord[]) => Promise<void>): Promise<void>;
}
