import { MAX_ID_LENGTH } from '@app/domain';
import type { SessionListPosition } from '@app/ports';

// The opaque `cursor` of the list endpoint: the last session of a page, as base64url JSON. It says where a page
// ended, not how many sessions came before, so writes between two requests cannot shift the next page.

export function encodeCursor(position: SessionListPosition): string {
  return Buffer.from(JSON.stringify([position.updatedAt, position.sessionId])).toString('base64url');
}

/** The position a cursor names, or undefined when it is not one this API handed out. */
export function decodeCursor(cursor: string): SessionListPosition | undefined {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(decoded) || decoded.length !== 2) return undefined;
  const [updatedAt, sessionId] = decoded as unknown[];
  if (
    typeof updatedAt !== 'string' ||
    !ZONED_TIMESTAMP.test(updatedAt) ||
    Number.isNaN(Date.parse(updatedAt))
  ) {
    return undefined;
  }
  if (typeof sessionId !== 'string' || sessionId.length === 0 || sessionId.length > MAX_ID_LENGTH)
    return undefined;
  return { updatedAt, sessionId };
}

const ZONED_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Longest cursor `encodeCursor` can produce for an id of MAX_ID_LENGTH characters, with room to spare. */
export const MAX_CURSOR_LENGTH = 2048;
