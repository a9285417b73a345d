import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError, ApiErrorCode } from '../errors/api-error';

/**
 * RATE_LIMIT_PER_MINUTE requests per caller and minute (off at 0), answered beyond that with 429
 * `{"detail": ...}` and Retry-After. A caller is who the request says it is: its bearer token (JWT mode, ingest), else
 * its x-user-id, else its address; the limit protects the server from one busy client, not from forged identities,
 * which AUTH_MODE=jwt is for.
 */
export function limitRequestRate(fastify: FastifyInstance, perMinute: number): void {
  if (perMinute <= 0) return;
  void fastify.register(rateLimit, {
    global: true,
    max: perMinute,
    timeWindow: 60_000,
    keyGenerator: callerKey,
    errorResponseBuilder: (_request, context) =>
      new ApiError(
        ApiErrorCode.TooManyRequests,
        `Rate limit exceeded: ${context.max} requests a minute (RATE_LIMIT_PER_MINUTE); retry in ${context.after}`,
      ),
  });
}

function callerKey(request: FastifyRequest): string {
  const authorization = request.headers.authorization;
  if (authorization) return `authorization:${authorization}`;
  const userId = request.headers['x-user-id'];
  if (userId !== undefined) return `user:${String(userId)}`;
  return `address:${request.ip}`;
}
