import { MAX_ID_LENGTH } from '@app/domain';
import { importSPKI, JWTPayload, jwtVerify, KeyLike } from 'jose';
import type { IncomingHttpHeaders } from 'node:http';
import { AuthenticationError, AuthenticationFailure } from './authentication-error';
import { Caller, CallerAuthenticator } from './caller-authenticator';

export interface JwtVerification {
  /** HS256 shared secret; exactly one of `secret` and `publicKey` is set. */
  secret?: string;
  /** RS256 public key, PEM-encoded SPKI. */
  publicKey?: string;
  issuer?: string;
  audience?: string;
}

/** AUTH_MODE=jwt: the caller is the `sub` of a bearer token signed with the configured key and not expired. */
export class JwtCallerAuthenticator extends CallerAuthenticator {
  private readonly algorithm: 'HS256' | 'RS256';
  private key?: Promise<KeyLike | Uint8Array>;

  constructor(private readonly verification: JwtVerification) {
    super();
    if (!verification.secret === !verification.publicKey) {
      throw new Error('JWT verification needs exactly one of a secret (HS256) and a public key (RS256)');
    }
    this.algorithm = verification.secret ? 'HS256' : 'RS256';
  }

  async authenticate(headers: IncomingHttpHeaders): Promise<Caller> {
    const token = bearerToken(headers.authorization);
    const payload = await this.verify(token);
    const subject = payload.sub;
    if (typeof subject !== 'string' || subject.length === 0 || subject.length > MAX_ID_LENGTH) {
      throw new AuthenticationError(AuthenticationFailure.MissingSubject);
    }
    return { userId: subject, expiresAt: payload.exp! };
  }

  private async verify(token: string): Promise<JWTPayload> {
    try {
      const { payload } = await jwtVerify(token, await this.verificationKey(), {
        algorithms: [this.algorithm],
        issuer: this.verification.issuer,
        audience: this.verification.audience,
        // A token without an expiry would be a credential that never lapses.
        requiredClaims: ['exp'],
      });
      // JSON can spell a number no clock reaches (1e400 parses to Infinity): such a token would never lapse.
      for (const claim of ['exp', 'nbf', 'iat'] as const) {
        if (payload[claim] !== undefined && !Number.isFinite(payload[claim])) {
          throw new AuthenticationError(
            AuthenticationFailure.ClaimRejected,
            `Invalid token: the ${claim} claim must be a finite number`,
          );
        }
      }
      return payload;
    } catch (error) {
      throw error instanceof AuthenticationError ? error : refusal(error);
    }
  }

  private verificationKey(): Promise<KeyLike | Uint8Array> {
    this.key ??= this.verification.secret
      ? Promise.resolve(new TextEncoder().encode(this.verification.secret))
      : importSPKI(this.verification.publicKey!, 'RS256');
    return this.key;
  }
}

function bearerToken(authorization: string | undefined): string {
  if (authorization === undefined || authorization.trim() === '') {
    throw new AuthenticationError(AuthenticationFailure.MissingToken);
  }
  const match = /^Bearer +(\S+)$/i.exec(authorization.trim());
  if (!match)
    throw new AuthenticationError(
      AuthenticationFailure.MalformedToken,
      'Invalid token: expected Authorization: Bearer <JWT>',
    );
  // Three base64url parts without padding (RFC 7515 §2): a padded signature is another spelling of the same bytes.
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(match[1]))
    throw new AuthenticationError(AuthenticationFailure.MalformedToken);
  return match[1];
}

// jose's error codes are stable strings, shared by its major versions.
function refusal(error: unknown): AuthenticationError {
  const { code, claim } = error as { code?: string; claim?: string };
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return new AuthenticationError(AuthenticationFailure.Expired);
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return new AuthenticationError(AuthenticationFailure.BadSignature);
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return new AuthenticationError(
        AuthenticationFailure.ClaimRejected,
        `Invalid token: the ${claim ?? 'a'} claim was rejected (${(error as Error).message})`,
      );
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return new AuthenticationError(
        AuthenticationFailure.MalformedToken,
        'Invalid token: signed with an algorithm this service does not accept',
      );
    default:
      return new AuthenticationError(AuthenticationFailure.MalformedToken);
  }
}
