import {
  applyDecorators,
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  Injectable,
  UseGuards,
} from '@nestjs/common';
import { ApiExtension, ApiResponse } from '@nestjs/swagger';
import { ErrorDetailSchema } from '../openapi/error-schemas';
import { CALLER_EXTENSION } from '../openapi/openapi-document';
import type { FastifyRequest } from 'fastify';
import { RequestValidationError } from '../errors/request-validation-error';
import { deferIssues, hasDeferredIssues, takesParameters } from '../validation/request-parameters';
import { Caller, CallerAuthenticator } from './caller-authenticator';

const CALLER = Symbol('caller');

type RequestWithCaller = FastifyRequest & { [CALLER]?: Caller };

/** Resolves the caller before the handler runs, so no handler can forget to. */
@Injectable()
export class CallerIdentityGuard implements CanActivate {
  constructor(private readonly authenticator: CallerAuthenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestWithCaller>();
    try {
      request[CALLER] = await this.authenticator.authenticate(request.headers, request.raw.rawHeaders);
    } catch (error) {
      // A missing identity header is one of the route's 422 issues, answered with its parameters' issues.
      if (!(error instanceof RequestValidationError && takesParameters(context.getHandler()))) throw error;
      deferIssues(request, error.issues);
    }
    return true;
  }
}

/** The caller of an `@Authenticated()` route. */
export const CallerIdentity = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Caller | undefined => {
    const request = context.switchToHttp().getRequest<RequestWithCaller>();
    const caller = request[CALLER];
    // With deferred issues the parameters pipe refuses the request before the handler can run.
    if (caller === undefined && !hasDeferredIssues(request))
      throw new Error('@CallerIdentity() used on a route without @Authenticated()');
    return caller;
  },
);

/** Requires a caller: the `x-user-id` header (AUTH_MODE=header) or a bearer JWT (AUTH_MODE=jwt). */
export const Authenticated = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    UseGuards(CallerIdentityGuard),
    // The document names the header or the bearer scheme by AUTH_MODE (openapi-document.ts).
    ApiExtension(CALLER_EXTENSION, true),
    ApiResponse({
      status: 401,
      type: ErrorDetailSchema,
      description:
        'AUTH_MODE=header: x-user-id is blank. AUTH_MODE=jwt: the bearer token is missing, malformed, badly signed or expired.',
    }),
  );
