import { INVALID_CHANGE_POSITION } from '@app/ports';

export enum SqliteStoreErrorCode {
  /** A generation name this store never hands out, or one that was dropped. */
  UnknownGeneration = 'unknown_generation',
  /** Dropping the generation that serves reads would break every reader. */
  ActiveGenerationDrop = 'active_generation_drop',
  /** A scan cursor this archive did not hand out. */
  InvalidCursor = 'invalid_cursor',
  /** The events table refused an insert on a unique key that no row holds: the file broke its own constraints. */
  UnexplainedConflict = 'unexplained_conflict',
  /** A change-feed position this feed did not hand out; the code every feed uses for it. */
  InvalidPosition = INVALID_CHANGE_POSITION,
}

/** Every failure the SQLite adapters raise on their own account (the driver's errors pass through). */
export class SqliteStoreError extends Error {
  constructor(
    readonly code: SqliteStoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = SqliteStoreError.name;
  }
}
