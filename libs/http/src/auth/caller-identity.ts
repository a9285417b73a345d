import {
  applyDecorators,
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  Injectable,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { RequestValidationError } from '../errors/request-validation-error';
import { deferIssues, hasDeferredIssues, takesParameters } from '../validation/request-parameters';
import { Caller, CallerAuthenticator } from './caller-authenticator';
import { USER_ID_HEADER } from './header-caller-authenticator';

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
    ApiHeader({
      name: USER_ID_HEADER,
      required: false,
      description:
        "Caller's user ID (AUTH_MODE=header, the default; required there). Ignored when AUTH_MODE=jwt, where the bearer token's `sub` names the caller.",
    }),
    ApiBearerAuth(),
    ApiResponse({
      status: 401,
      description: 'AUTH_MODE=jwt: the bearer token is missing, malformed, badly signed or expired',
    }),
  );
