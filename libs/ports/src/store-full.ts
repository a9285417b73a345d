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
  return (
    error instanceof StoreFullError ||
    (error instanceof Error && (error as Error & { code?: unknown }).code === SQLITE_FULL)
  );
}
