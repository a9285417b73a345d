import { isInstant, MAX_ID_LENGTH } from '@app/domain';
import { LIST_ORDERS, ListOrder, SessionListPosition } from '@app/ports';

// The opaque `cursor` of the list endpoint: the last session of a page, as base64url JSON. It says where a page
// ended, not how many sessions came before, so writes between two requests cannot shift the next page.

export function encodeCursor(position: SessionListPosition): string {
  return Buffer.from(JSON.stringify([position.order, position.at, position.sessionId])).toString('base64url');
}

/** The position a cursor names, or undefined when it is not one this API handed out. */
export function decodeCursor(cursor: string): SessionListPosition | undefined {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(decoded) || decoded.length !== 3) return undefined;
  const [order, updatedAt, sessionId] = decoded as unknown[];
  if (!(LIST_ORDERS as readonly unknown[]).includes(order)) return undefined;
  if (!isInstant(updatedAt)) return undefined;
  if (typeof sessionId !== 'string' || sessionId.length === 0 || sessionId.length > MAX_ID_LENGTH)
    return undefined;
  return { order: order as ListOrder, at: updatedAt, sessionId };
}

/** Longest cursor `encodeCursor` can produce for an id of MAX_ID_LENGTH characters, with room to spare. */
export const MAX_CURSOR_LENGTH = 2048;
