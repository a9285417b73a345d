import { assertNever } from '@app/domain';
import { ApiError, ApiErrorCode } from '../errors/api-error';

/** Why a bearer token was refused; each has its own message so a client can tell what to fix. */
export enum AuthenticationFailure {
  MissingToken = 'missing_token',
  MalformedToken = 'malformed_token',
  BadSignature = 'bad_signature',
  Expired = 'expired',
  ClaimRejected = 'claim_rejected',
  MissingSubject = 'missing_subject',
}

/** Answered as 401 with `WWW-Authenticate: Bearer` (RFC 6750) naming the problem. */
export class AuthenticationError extends ApiError {
  constructor(
    readonly failure: AuthenticationFailure,
    detail?: string,
  ) {
    super(ApiErrorCode.Unauthenticated, detail ?? messageOf(failure), challengeFor(failure));
    this.name = AuthenticationError.name;
  }
}

function messageOf(failure: AuthenticationFailure): string {
  switch (failure) {
    case AuthenticationFailure.MissingToken:
      return 'Not authenticated: send Authorization: Bearer <token>';
    case AuthenticationFailure.MalformedToken:
      return 'Invalid token: not a well-formed JWT';
    case AuthenticationFailure.BadSignature:
      return 'Invalid token: signature verification failed';
    case AuthenticationFailure.Expired:
      return 'Invalid token: expired';
    case AuthenticationFailure.ClaimRejected:
      return 'Invalid token: a claim was rejected';
    case AuthenticationFailure.MissingSubject:
      return 'Invalid token: the sub claim must name the user';
    default:
      return assertNever(failure);
  }
}

function challengeFor(failure: AuthenticationFailure): Record<string, string> {
  // RFC 6750 §3.1: a request without credentials gets a bare challenge, a bad token an error code.
  const challenge =
    failure === AuthenticationFailure.MissingToken
      ? 'Bearer'
      : `Bearer error="invalid_token", error_description="${messageOf(failure)}"`;
  return { 'WWW-Authenticate': challenge };
}
