import type { IncomingHttpHeaders } from 'node:http';
import { ApiError, ApiErrorCode } from '../errors/api-error';
import { RequestValidationError } from '../errors/request-validation-error';
import { Caller, CallerAuthenticator } from './caller-authenticator';

export const USER_ID_HEADER = 'x-user-id';

/** The origin's answer to a present but blank x-user-id (its dependency raises HTTPException(401, ...)). */
export const BLANK_USER_ID_DETAIL = 'X-User-ID header is required.';

/**
 * The seed's identity: the caller's user id in a header, trusted as given. Only for deployments behind a gateway
 * that sets it; AUTH_MODE=jwt verifies a token instead. As in the origin (`x_user_id: str = Header(...)` and a
 * dependency that refuses a blank one): a missing header is FastAPI's 422, a blank one 401, the first of several
 * counts, and the value has no length limit of its own (the server's limit on the size of all headers, 16 KiB,
 * bounds it).
 */
export class HeaderCallerAuthenticator extends CallerAuthenticator {
  async authenticate(headers: IncomingHttpHeaders, rawHeaders: readonly string[] = []): Promise<Caller> {
    const value = firstValue(rawHeaders) ?? headers[USER_ID_HEADER];
    if (value === undefined) {
      throw new RequestValidationError([
        { type: 'missing', loc: ['header', USER_ID_HEADER], msg: 'Field required', input: null },
      ]);
    }
    const userId = Array.isArray(value) ? value[0] : value;
    if (userId.trim() === '') throw new ApiError(ApiErrorCode.Unauthenticated, BLANK_USER_ID_DETAIL);
    return { userId };
  }
}

function firstValue(rawHeaders: readonly string[]): string | undefined {
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    if (rawHeaders[index].toLowerCase() === USER_ID_HEADER) return rawHeaders[index + 1];
  }
  return undefined;
}
