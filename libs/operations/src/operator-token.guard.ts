import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ApiError, ApiErrorCode } from '@app/http';
import type { FastifyRequest } from 'fastify';
import { OperatorToken } from './operator-token';

const BEARER = /^Bearer +(\S+) *$/i;

/**
 * Admits requests that carry OPERATOR_TOKEN as a bearer token; 401 saying what to send otherwise. A guard, not a
 * middleware as for ingest: no operator route takes a body, so nothing is buffered before it runs.
 */
@Injectable()
export class OperatorTokenGuard implements CanActivate {
  constructor(private readonly token: OperatorToken) {}

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<FastifyRequest>().headers.authorization;
    if (header === undefined) {
      throw new ApiError(
        ApiErrorCode.Unauthenticated,
        'Not authenticated: send the operator token as Authorization: Bearer <OPERATOR_TOKEN>',
        { 'WWW-Authenticate': 'Bearer' },
      );
    }
    const presented = BEARER.exec(header)?.[1];
    if (presented === undefined || !this.token.matches(presented)) {
      throw new ApiError(ApiErrorCode.Unauthenticated, 'Invalid operator token', {
        'WWW-Authenticate': 'Bearer error="invalid_token", error_description="not the operator token"',
      });
    }
    return true;
  }
}
