import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RouteTable } from '../routing/route-table';
import { ErrorResponse, toErrorResponse } from './error-response';

/** The one place HTTP errors become responses; registered globally by `configureHttpApp`. */
@Catch()
export class ErrorResponseFilter implements ExceptionFilter {
  private readonly logger = new Logger(ErrorResponseFilter.name);

  constructor(private readonly routes: RouteTable) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    // No route took the request: whatever failed on the way (Fastify parses a body before its not-found handler
    // runs, and refuses a QUERY without Content-Type), the answer is the router's.
    const response = request.is404 ? this.unroutedResponse(request) : toErrorResponse(error);
    if (response.unexpected)
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : error);
    if (reply.sent) return;
    void reply.status(response.status).headers(response.headers).send(response.body);
  }

  /**
   * No route took the request: FastAPI's 405 with `Allow` when the path is served under other methods (HEAD
   * included, which is served only where declared), its 404 otherwise, both with Starlette's detail.
   */
  private unroutedResponse(request: FastifyRequest): ErrorResponse {
    const allowed = this.routes.allowedMethods(request.url);
    return allowed.length > 0
      ? {
          status: HttpStatus.METHOD_NOT_ALLOWED,
          body: { detail: 'Method Not Allowed' },
          headers: { Allow: allowed.join(', ') },
          unexpected: false,
        }
      : { status: HttpStatus.NOT_FOUND, body: { detail: 'Not Found' }, headers: {}, unexpected: false };
  }
}
