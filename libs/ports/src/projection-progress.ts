import { EventEmitter } from 'node:events';
import { LogPosition } from './log-position';

const RECORDED = 'recorded';

/**
 * Where the projection stands: the log position up to which every record is applied to the views (or
 * dead-lettered), recorded by the projector after the views, changes and dead letters of a batch are written, so a
 * reader that sees a position also sees what it covers. Kept in the store beside the views (a table of the embedded
 * file, a MongoDB collection), where every query API reads it, one read for all of its requests.
 */
export abstract class AppliedPositions {
  private readonly recorded = new EventEmitter();

  /** The applied position as last recorded. */
  abstract read(): Promise<LogPosition>;

  /**
   * Records that `position` is applied, then announces it once readers can see it; never moves a partition back
   * (a former owner's late batch cannot).
   */
  abstract record(position: LogPosition): Promise<void>;

  /** Calls `listener` after this process recorded an advance, so a watcher in the same process need not poll. */
  onRecorded(listener: () => void): () => void {
    this.recorded.on(RECORDED, listener);
    return () => this.recorded.off(RECORDED, listener);
  }

  /** Wakes this process's listeners: called by `record` once the advance is visible to readers. */
  protected announce(): void {
    this.recorded.emit(RECORDED);
  }
}

/** The end of the event log: the position just past its last record, per partition. */
export abstract class LogHead {
  abstract read(): Promise<LogPosition>;
}
