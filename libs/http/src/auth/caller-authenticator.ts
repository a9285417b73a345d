import type { IncomingHttpHeaders } from 'node:http';

/** Who is asking: every read is limited to this user's sessions. */
export interface Caller {
  userId: string;
  /** When the caller's credential lapses (a JWT's `exp`, seconds since the epoch); absent when it does not. */
  expiresAt?: number;
}

/** Resolves the caller of a request, or throws the error to answer with (422 for a missing header, 401 for a bad token). */
export abstract class CallerAuthenticator {
  /**
   * `rawHeaders` is the request's header list as sent (name, value, name, value, ...): Node joins a repeated
   * header into one value, where the origin's framework takes the first.
   */
  abstract authenticate(headers: IncomingHttpHeaders, rawHeaders?: readonly string[]): Promise<Caller>;
}
