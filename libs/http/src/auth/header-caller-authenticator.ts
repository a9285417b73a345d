import { MAX_ID_LENGTH } from '@app/domain';
import type { IncomingHttpHeaders } from 'node:http';
import { RequestValidationError, ValidationIssue } from '../errors/request-validation-error';
import { Caller, CallerAuthenticator } from './caller-authenticator';

export const USER_ID_HEADER = 'x-user-id';

/**
 * The seed's identity: the caller's user id in a header, trusted as given. Only for deployments behind a gateway
 * that sets it; AUTH_MODE=jwt verifies a token instead. A missing header is FastAPI's 422, as in the seed.
 */
export class HeaderCallerAuthenticator extends CallerAuthenticator {
  async authenticate(headers: IncomingHttpHeaders): Promise<Caller> {
    const value = headers[USER_ID_HEADER];
    const problem = headerProblem(value);
    if (problem) throw new RequestValidationError([problem]);
    return { userId: value as string };
  }
}

function headerProblem(value: string | string[] | undefined): ValidationIssue | undefined {
  const loc = ['header', USER_ID_HEADER];
  if (value === undefined) return { type: 'missing', loc, msg: 'Field required', input: null };
  if (typeof value !== 'string')
    return { type: 'string_type', loc, msg: 'Input should be a valid string', input: value };
  if (value.length === 0) {
    return {
      type: 'string_too_short',
      loc,
      msg: 'String should have at least 1 character',
      input: value,
      ctx: { min_length: 1 },
    };
  }
  if (value.length > MAX_ID_LENGTH) {
    return {
      type: 'string_too_long',
      loc,
      msg: `String should have at most ${MAX_ID_LENGTH} characters`,
      input: value,
      ctx: { max_length: MAX_ID_LENGTH },
    };
  }
  return undefined;
}
