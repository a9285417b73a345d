import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ApiError, ApiErrorCode } from '@app/http';
import type { FastifyRequest } from 'fastify';
import { IngestToken } from './ingest-token';

const BEARER = /^Bearer +(\S+) *$/i;

/** Admits requests that carry the ingest token as a bearer token; answers 401 saying what to send otherwise. */
@Injectable()
export class IngestTokenGuard implements CanActivate {
  constructor(private readonly token: IngestToken) {}

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<FastifyRequest>().headers.authorization;
    if (header === undefined) {
      throw new ApiError(
        ApiErrorCode.Unauthenticated,
        'Not authenticated: send the ingest token as Authorization: Bearer <INGEST_TOKEN>',
        { 'WWW-Authenticate': 'Bearer' },
      );
    }
    const presented = BEARER.exec(header)?.[1];
    if (presented === undefined || !this.token.matches(presented)) {
      throw new ApiError(ApiErrorCode.Unauthenticated, 'Invalid ingest token', {
        'WWW-Authenticate': 'Bearer error="invalid_token", error_description="not the ingest token"',
      });
    }
    return true;
  }
}
