import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { toErrorResponse } from './error-response';

/** The one place HTTP errors become responses; registered globally by `configureHttpApp`. */
@Catch()
export class ErrorResponseFilter implements ExceptionFilter {
  private readonly logger = new Logger(ErrorResponseFilter.name);

  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const response = toErrorResponse(error);
    if (response.unexpected)
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : error);
    if (reply.sent) return;
    void reply.status(response.status).headers(response.headers).send(response.body);
  }
}
