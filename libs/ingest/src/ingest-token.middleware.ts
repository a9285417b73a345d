import { Injectable, NestMiddleware } from '@nestjs/common';
import { ApiError, ApiErrorCode } from '@app/http';
import type { IncomingMessage } from 'node:http';
import { IngestToken } from './ingest-token';

const BEARER = /^Bearer +(\S+) *$/i;

/**
 * Admits requests that carry the ingest token as a bearer token; answers 401 saying what to send otherwise. A
 * middleware runs on Fastify's onRequest hook, before the body is read: a caller without the token cannot make the
 * server buffer (or wait for) a body of up to INGEST_BODY_LIMIT_BYTES.
 */
@Injectable()
export class IngestTokenMiddleware implements NestMiddleware {
  constructor(private readonly token: IngestToken) {}

  use(request: IncomingMessage, _response: unknown, next: (error?: unknown) => void): void {
    const header = request.headers.authorization;
    if (header === undefined) {
      next(
        new ApiError(
          ApiErrorCode.Unauthenticated,
          'Not authenticated: send the ingest token as Authorization: Bearer <INGEST_TOKEN>',
          { 'WWW-Authenticate': 'Bearer' },
        ),
      );
      return;
    }
    const presented = BEARER.exec(header)?.[1];
    if (presented === undefined || !this.token.matches(presented)) {
      next(
        new ApiError(ApiErrorCode.Unauthenticated, 'Invalid ingest token', {
          'WWW-Authenticate': 'Bearer error="invalid_token", error_description="not the ingest token"',
        }),
      );
      return;
    }
    next();
  }
}
