import { MongoStoreError, MongoStoreErrorCode } from './mongo-store.error';

/** The last (session_id, seq) a scan page returned; the next page starts after it. */
export interface ScanPosition {
  sessionId: string;
  seq: number;
}

export function encodeScanCursor({ sessionId, seq }: ScanPosition): string {
  return Buffer.from(JSON.stringify([sessionId, seq]), 'utf8').toString('base64url');
}

export function decodeScanCursor(cursor: string): ScanPosition {
  const position = parseOrUndefined(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (
    !Array.isArray(position) ||
    position.length !== 2 ||
    typeof position[0] !== 'string' ||
    !Number.isSafeInteger(position[1])
  ) {
    throw new MongoStoreError(
      MongoStoreErrorCode.InvalidCursor,
      `'${cursor}' is not a cursor this archive handed out`,
    );
  }
  return { sessionId: position[0], seq: position[1] as number };
}

function parseOrUndefined(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return undefined;
  }
}
