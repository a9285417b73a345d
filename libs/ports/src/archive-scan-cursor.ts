/** The last (session_id, seq) an archive scan page returned; the next page starts after it. */
export interface ArchiveScanPosition {
  sessionId: string;
  seq: number;
}

/** The opaque `ArchiveScanPage.cursor` every archive adapter hands out and takes back. */
export function encodeArchiveScanCursor({ sessionId, seq }: ArchiveScanPosition): string {
  return Buffer.from(JSON.stringify([sessionId, seq]), 'utf8').toString('base64url');
}

/** The position a cursor names, or undefined for a text no archive handed out (the adapter says so its own way). */
export function decodeArchiveScanCursor(cursor: string): ArchiveScanPosition | undefined {
  const position = parseOrUndefined(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (
    !Array.isArray(position) ||
    position.length !== 2 ||
    typeof position[0] !== 'string' ||
    !Number.isSafeInteger(position[1])
  ) {
    return undefined;
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
