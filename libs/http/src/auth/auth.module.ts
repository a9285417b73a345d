import { assertNever } from '@app/domain';
import { AppConfig } from '@app/config';
import { Module } from '@nestjs/common';
import { CallerAuthenticator } from './caller-authenticator';
import { CallerIdentityGuard } from './caller-identity';
import { HeaderCallerAuthenticator } from './header-caller-authenticator';
import { JwtCallerAuthenticator } from './jwt-caller-authenticator';

export function callerAuthenticatorFor(config: AppConfig): CallerAuthenticator {
  const auth = config.auth;
  switch (auth.mode) {
    case 'header':
      return new HeaderCallerAuthenticator();
    case 'jwt':
      return new JwtCallerAuthenticator(auth);
    default:
      return assertNever(auth);
  }
}

/** Import it where `@Authenticated()` routes live; the mode comes from AUTH_MODE. */
@Module({
  providers: [
    { provide: CallerAuthenticator, useFactory: callerAuthenticatorFor, inject: [AppConfig] },
    CallerIdentityGuard,
  ],
  exports: [CallerAuthenticator, CallerIdentityGuard],
})
export class AuthModule {}
