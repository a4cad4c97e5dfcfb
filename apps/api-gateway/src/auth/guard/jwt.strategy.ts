import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AppConfig } from '../../app.config';
import type { AccessTokenClaims, AuthenticatedUser } from '../auth.types';
import { JwtKeys } from '../keys/jwt-keys';
import { AccessTokenDenylist } from '../tokens/access-token-denylist';

/** Verifies the bearer token (RS256 only, our issuer, not expired), then that it was not revoked (logout, deactivation, role change). */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    keys: JwtKeys,
    config: AppConfig,
    private readonly denylist: AccessTokenDenylist,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // The parsed key object: a PEM string would be parsed again on every verification.
      // jsonwebtoken 9 takes a KeyObject; passport-jwt's types only list string | Buffer.
      secretOrKeyProvider: (_request, _token, done) => done(null, keys.verificationKey as unknown as string),
      algorithms: ['RS256'],
      issuer: config.AUTH_JWT_ISSUER,
      ignoreExpiration: false,
    });
  }

  async validate(claims: AccessTokenClaims): Promise<AuthenticatedUser | false> {
    if (typeof claims.sub !== 'string' || typeof claims.tid !== 'string' || typeof claims.jti !== 'string') return false;
    if (!Array.isArray(claims.roles) || typeof claims.exp !== 'number' || typeof claims.iat !== 'number') return false;
    // Checked on every request so logout, deactivation and role changes take effect at once.
    if (await this.denylist.isRefused(claims)) return false;
    return { userId: claims.sub, tenantId: claims.tid, roles: claims.roles, jti: claims.jti, exp: claims.exp };
  }
}
