import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AppConfig } from '../../app.config';
import type { AccessTokenClaims, AuthenticatedUser } from '../auth.types';
import { IdentityRepository } from '../identity/identity.repository';
import { JwtKeys } from '../keys/jwt-keys';
import { AccessTokenDenylist } from '../tokens/access-token-denylist';

/** Verifies the bearer token (RS256 only, our issuer, not expired), then that it is not revoked and its user is active. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    keys: JwtKeys,
    config: AppConfig,
    private readonly denylist: AccessTokenDenylist,
    private readonly identity: IdentityRepository,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: keys.publicKeyPem,
      algorithms: ['RS256'],
      issuer: config.AUTH_JWT_ISSUER,
      ignoreExpiration: false,
    });
  }

  async validate(claims: AccessTokenClaims): Promise<AuthenticatedUser | false> {
    if (typeof claims.sub !== 'string' || typeof claims.tid !== 'string' || typeof claims.jti !== 'string') return false;
    if (!Array.isArray(claims.roles) || typeof claims.exp !== 'number') return false;
    // Checked on every request so logout and deactivation take effect at once.
    const [revoked, active] = await Promise.all([this.denylist.isRevoked(claims.jti), this.identity.isActive(claims.sub)]);
    if (revoked || !active) return false;
    return { userId: claims.sub, tenantId: claims.tid, roles: claims.roles, jti: claims.jti, exp: claims.exp };
  }
}
