import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * A strong ETag named from what defines a response instead of from its bytes: the query that asked for it and the
 * identity of what it holds (ids, versions, the generation read). The code that builds such a response knows these
 * and sets the tag itself, which spares hashing a body of hundreds of kilobytes on every request. Two responses with
 * the same definition have the same bytes, so the tag stays strong.
 */
export function definedEntityTag(definition: readonly unknown[]): string {
  return `"${createHash('sha256').update(JSON.stringify(definition)).digest('base64url')}"`;
}

/**
 * A strong ETag for every successful GET: the one its handler set from the response's definition
 * (definedEntityTag), else the SHA-256 of the serialized body, so equal bodies get equal tags whichever instance or
 * generation served them. A request whose If-None-Match holds the tag gets 304 and no body. Streams (server-sent
 * events) are left alone.
 */
export async function addEntityTag(
  request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
): Promise<unknown> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return payload;
  if (reply.statusCode !== 200 || !(typeof payload === 'string' || Buffer.isBuffer(payload))) return payload;
  const declared = reply.getHeader('ETag');
  const tag =
    typeof declared === 'string' ? declared : `"${createHash('sha256').update(payload).digest('base64url')}"`;
  void reply.header('ETag', tag);
  if (!matchesAny(request.headers['if-none-match'], tag)) return payload;
  void reply.code(304);
  return '';
}

// If-None-Match compares weakly (RFC 9110 §13.1.2): a W/ prefix does not stop a match.
function matchesAny(ifNoneMatch: string | undefined, tag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === tag);
}
