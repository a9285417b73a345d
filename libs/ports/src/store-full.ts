/**
 * The store refused a write for want of space: the disk (or the file's size limit) is full. Nothing of the refused
 * write was kept, and what was acknowledged before stays; the caller may try again once space is freed. HTTP answers
 * it with 507.
 */
export class StoreFullError extends Error {
  constructor(message: string) {
    super(message);
    this.name = StoreFullError.name;
  }
}

/**
 * SQLite's result code for "database or disk is full", as better-sqlite3 puts it on its errors' `code`: matched by
 * value so the edges need not load the driver. SQLite answers it both when the disk is full and when the file
 * reaches its page limit.
 */
export const SQLITE_FULL = 'SQLITE_FULL';

export function isStoreFull(error: unknown): error is Error {
  // By its code, not `instanceof Error`: better-sqlite3 builds its errors with the class it was handed when the
  // native addon first loaded, which belongs to another realm once a second context (a Jest test file, a vm) loads
  // the driver again.
  return (
    error instanceof StoreFullError ||
    (typeof error === 'object' && error !== null && (error as { code?: unknown }).code === SQLITE_FULL)
  );
}
