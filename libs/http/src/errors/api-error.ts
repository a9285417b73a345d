/** What went wrong, independent of transport; the HTTP status for each code is chosen in one place. */
export enum ApiErrorCode {
  BadRequest = 'bad_request',
  Unauthenticated = 'unauthenticated',
  Forbidden = 'forbidden',
  NotFound = 'not_found',
  Conflict = 'conflict',
  PayloadTooLarge = 'payload_too_large',
  TooManyRequests = 'too_many_requests',
  Unavailable = 'unavailable',
}

/** An error whose message is safe to show the caller, answered as `{"detail": message}`. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    /** Response headers the error calls for, e.g. `WWW-Authenticate` on a 401. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = ApiError.name;
  }
}
