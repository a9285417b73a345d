import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * OPERATOR_TOKEN, the operators' credential for /operations/*. It is neither a user identity (x-user-id or a JWT
 * names whose sessions to read) nor the ingest token (what runtimes append with): reading every user's dead letters
 * and re-driving them is a separate power, given separately.
 */
export class OperatorToken {
  private readonly digest: Buffer;

  constructor(token: string) {
    this.digest = sha256(token);
  }

  /** Compares digests in constant time (as the ingest token does), so response timing reveals nothing. */
  matches(candidate: string): boolean {
    return timingSafeEqual(this.digest, sha256(candidate));
  }
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
