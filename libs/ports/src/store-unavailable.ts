/** A store could not be reached; the caller may try again shortly. HTTP answers it with 503. */
export class StoreUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = StoreUnavailableError.name;
  }
}

/**
 * The errors the MongoDB driver raises when no server answers (none selectable within the server-selection bound,
 * a connection reset or timed out, the topology closed under the operation). Matched by the driver's class names,
 * which are its public API, so that the edges that answer "unavailable" need not load the driver; a test in
 * libs/mongo checks the names against the driver's classes.
 */
export const MONGODB_UNREACHABLE_ERRORS: readonly string[] = [
  'MongoServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoTopologyClosedError',
];

/** True for an error that says the store is unreachable rather than that the request or the code is wrong. */
export function isStoreUnavailable(error: unknown): error is Error {
  return (
    error instanceof StoreUnavailableError ||
    (error instanceof Error && MONGODB_UNREACHABLE_ERRORS.includes(error.name))
  );
}
