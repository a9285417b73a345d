export enum MongoStoreErrorCode {
  /** The production profile was not selected: AppConfig.mongo is null. */
  NotConfigured = 'not_configured',
  /** A generation name this store never hands out. */
  UnknownGeneration = 'unknown_generation',
  /** Dropping the generation that serves reads would break every reader. */
  ActiveGenerationDrop = 'active_generation_drop',
  /** One writeMany call named the same session twice, so its outcome could not be told apart. */
  DuplicateSessionWrite = 'duplicate_session_write',
  /** A write was refused on a unique key that nothing holds: the server did something this adapter cannot explain. */
  WriteWithoutProgress = 'write_without_progress',
  /** A scan cursor this archive did not hand out. */
  InvalidCursor = 'invalid_cursor',
}

export class MongoStoreError extends Error {
  constructor(
    readonly code: MongoStoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = MongoStoreError.name;
  }
}
