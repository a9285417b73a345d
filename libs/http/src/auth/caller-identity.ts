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
    request[CALLER] = await this.authenticator.authenticate(request.headers);
    return true;
  }
}

/** The caller of an `@Authenticated()` route. */
export const CallerIdentity = createParamDecorator((_data: unknown, context: ExecutionContext): Caller => {
  const caller = context.switchToHttp().getRequest<RequestWithCaller>()[CALLER];
  if (caller === undefined) throw new Error('@CallerIdentity() used on a route without @Authenticated()');
  return caller;
});

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
