import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { VerifiedTokens } from '@crm/messaging';
import { Strategy } from 'passport-jwt';
import { AppConfig } from '../../app.config';
import type { AuthenticatedUser } from '../auth.types';
import { JwtKeys } from '../keys/jwt-keys';
import { callerOfClaims } from './access-token-claims';
import { bearerToken } from './bearer-token';

/** Verified tokens remembered (the oldest remembered goes first, never past their `exp`): a client sends the same token for its whole life. */
const VERIFIED_TOKEN_CACHE_SIZE = 10_000;

type TokenCarrier = Parameters<typeof bearerToken>[0];

/**
 * The access token's caller (passport-jwt, jsonwebtoken underneath): the bearer token's
 * signature checked with RS256 only (pinned: an `alg: none` or an HS256 token signed with the
 * public key is refused), our issuer and audience, not expired; then well-formed claims (a tenant
 * user, or a platform operator). Whether the token was revoked is checked with the request's rate
 * limits, in the same Redis round trip (RateLimitGuard), once the route is known to be allowed.
 *
 * RS256 verification was the gateway's largest single cost per request: a token verified before
 * is answered from VerifiedTokens without verifying it again (the exact token, up to its `exp`);
 * any other token goes through passport-jwt's verification.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  private readonly verified = new VerifiedTokens<AuthenticatedUser>(VERIFIED_TOKEN_CACHE_SIZE);

  constructor(keys: JwtKeys, config: AppConfig) {
    super({
      jwtFromRequest: bearerToken,
      // A KeyObject rather than the PEM: jsonwebtoken would parse the PEM on every verification
      // (@types/passport-jwt only lists string | Buffer; jsonwebtoken takes a KeyObject).
      secretOrKeyProvider: (_request, _token, done) => done(null, keys.publicKey as unknown as Buffer),
      algorithms: ['RS256'],
      issuer: config.AUTH_JWT_ISSUER,
      audience: config.AUTH_JWT_AUDIENCE,
      passReqToCallback: true,
    });
  }

  /** Passport (the guard) calls this for each request: a known token is not verified again. */
  override authenticate(request: TokenCarrier, options?: object): void {
    const token = bearerToken(request);
    const known = token === null ? undefined : this.verified.get(token);
    if (known) return this.success(known);
    // passport-strategy types the request as Express's; passport-jwt only reads its headers.
    super.authenticate(request as never, options);
  }

  /** Called by passport-jwt once the token is verified: its claims make the caller (false: refused, 401). */
  validate(request: TokenCarrier, payload: unknown): AuthenticatedUser | false {
    const caller = callerOfClaims(payload);
    if (!caller) return false;
    const token = bearerToken(request);
    if (token !== null) this.verified.remember(token, caller, caller.exp * 1000);
    return caller;
  }
}
