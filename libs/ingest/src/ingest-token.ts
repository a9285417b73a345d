import { Logger } from '@nestjs/common';
import { AppConfig, OWNER_ONLY_FILE_MODE, OWNER_ONLY_FOLDER_MODE } from '@app/config';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const INGEST_TOKEN_FILE_NAME = 'ingest-token';

/**
 * The shared secret agent runtimes present to append events. It is not a user identity: a runtime writes events
 * for many users, and which user owns a session is part of the events themselves.
 */
export class IngestToken {
  private readonly digest: Buffer;

  constructor(token: string) {
    this.digest = sha256(token);
  }

  /** Compares digests in constant time, so response timing reveals nothing about the token. */
  matches(candidate: string): boolean {
    return timingSafeEqual(this.digest, sha256(candidate));
  }
}

/**
 * INGEST_TOKEN when set. Without it the embedded profile generates a token on first start and keeps it in
 * `<DATA_DIR>/ingest-token` (readable by its owner only), so a laptop install works with no configuration yet is
 * never open to anyone who can reach the port. Production replicas share no data folder, so there the token must
 * be configured.
 */
export function resolveIngestToken(config: AppConfig, logger = new Logger(IngestToken.name)): IngestToken {
  if (config.ingestToken !== null) return new IngestToken(config.ingestToken);
  if (config.profile === 'production') {
    throw new Error(
      'INGEST_TOKEN must be set in the production profile: POST /sessions/events needs a token every replica shares',
    );
  }
  const file = join(config.dataDir, INGEST_TOKEN_FILE_NAME);
  const stored = readTokenFile(file);
  if (stored !== undefined) return new IngestToken(stored);
  mkdirSync(config.dataDir, { recursive: true, mode: OWNER_ONLY_FOLDER_MODE });
  try {
    writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, {
      mode: OWNER_ONLY_FILE_MODE,
      flag: 'wx',
    });
    logger.log(
      `INGEST_TOKEN is not set: generated an ingest token in ${file}; ` +
        'send it as "Authorization: Bearer <token>" to POST /sessions/events',
    );
  } catch (error) {
    // Another process starting on the same folder wrote it first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return new IngestToken(readTokenFile(file)!);
}

function readTokenFile(file: string): string | undefined {
  try {
    const token = readFileSync(file, 'utf8').trim();
    if (token === '')
      throw new Error(`${file} is empty: delete it to have a new token generated, or set INGEST_TOKEN`);
    return token;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
