import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtAuthGuard } from './guard/jwt-auth.guard';
import { JwtStrategy } from './guard/jwt.strategy';
import { IdentityRepository } from './identity/identity.repository';
import { PasswordHasher } from './identity/password-hasher';
import { SignInAuditRepository } from './identity/sign-in-audit.repository';
import { JwksController } from './keys/jwks.controller';
import { JwtKeys } from './keys/jwt-keys';
import { LoginController } from './login/login.controller';
import { LoginService } from './login/login.service';
import { LogoutController } from './logout/logout.controller';
import { MeController } from './me/me.controller';
import { MeService } from './me/me.service';
import { RefreshController } from './refresh/refresh.controller';
import { RefreshService } from './refresh/refresh.service';
import { SignupController } from './signup/signup.controller';
import { SignupService } from './signup/signup.service';
import { LoginThrottle } from './throttle/login-throttle';
import { AccessTokenDenylist } from './tokens/access-token-denylist';
import { RefreshTokenRepository } from './tokens/refresh-token.repository';
import { TokenService } from './tokens/token.service';

/** Identity and authentication: sign-up, login, refresh, logout, me, JWKS, and the global guard. */
@Module({
  controllers: [SignupController, LoginController, RefreshController, LogoutController, MeController, JwksController],
  providers: [
    JwtKeys,
    TokenService,
    AccessTokenDenylist,
    RefreshTokenRepository,
    IdentityRepository,
    SignInAuditRepository,
    PasswordHasher,
    LoginThrottle,
    JwtStrategy,
    SignupService,
    LoginService,
    RefreshService,
    MeService,
    { provide: APP_GUARD, useClass: JwtAuthGuard },
  ],
  // For users administration (UsersModule): hashing new users' passwords, revoking sessions;
  // for the platform operator's sign-in (PlatformModule): hashing, throttling, tokens.
  // JwtKeys: the edge signs short-lived tokens for calls made without a caller's own token.
  exports: [PasswordHasher, RefreshTokenRepository, AccessTokenDenylist, LoginThrottle, SignInAuditRepository, TokenService, JwtKeys],
})
export class AuthModule {}
