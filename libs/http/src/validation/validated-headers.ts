import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { RequestValidationPipe } from './request-validation.pipe';

const requestHeaders = createParamDecorator(
  (_data: unknown, context: ExecutionContext) => context.switchToHttp().getRequest<FastifyRequest>().headers,
);

/**
 * The request headers as an instance of the parameter's DTO class (properties named by lower-case header names),
 * refused with FastAPI's 422 naming `["header", name]`. Nest's `@Headers()` takes no pipes.
 */
export const ValidatedHeaders = (): ParameterDecorator => requestHeaders(new RequestValidationPipe('header'));
