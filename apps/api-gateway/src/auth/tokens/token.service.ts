import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DomainError, Role } from '@crm/contracts';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { AppConfig } from '../../app.config';
import type { AccessTokenClaims, OperatorTokenClaims, TokenPair } from '../auth.types';
import { JwtKeys } from '../keys/jwt-keys';
import { RefreshTokenRepository } from './refresh-token.repository';

export interface TokenSubject {
  id: string;
  tenantId: string;
  roles: string[];
}

/** Issues RS256 access tokens and opaque, rotating refresh tokens (stored hashed, one family per login). */
@Injectable()
export class TokenService {
  private readonly jwt: JwtService;
  private readonly accessTtlSeconds: number;

  constructor(
    keys: JwtKeys,
    private readonly config: AppConfig,
    private readonly refreshTokens: RefreshTokenRepository,
  ) {
    this.accessTtlSeconds = Math.floor(config.AUTH_ACCESS_TOKEN_TTL_MS / 1000);
    this.jwt = new JwtService({
      privateKey: keys.privateKeyPem,
      signOptions: { algorithm: 'RS256', keyid: keys.kid, issuer: config.AUTH_JWT_ISSUER, expiresIn: this.accessTtlSeconds },
    });
  }

  /** A new pair starting a new refresh-token family (a login or a sign-up). */
  issue(user: TokenSubject): Promise<TokenPair> {
    return this.pair(user, randomUUID());
  }

  /**
   * A platform operator's access token: `operator: true`, no tenant, no refresh token (the
   * session ends when it expires or at logout).
   */
  async issueOperatorToken(operatorId: string): Promise<{ accessToken: string; expiresIn: number }> {
    const claims: Omit<OperatorTokenClaims, 'exp'> = { sub: operatorId, operator: true, roles: [], jti: randomUUID(), iat: Date.now() / 1000 };
    return { accessToken: await this.jwt.signAsync(claims), expiresIn: this.accessTtlSeconds };
  }

  /**
   * Spends `refreshToken` and returns a new pair in the same family. A token presented again
   * after it was spent revokes its whole family (it was stolen, or the client replays it).
   * `loadUser` returns the token's user if it may still sign in.
   */
  async rotate(refreshToken: string, loadUser: (userId: string) => Promise<TokenSubject | null>): Promise<TokenPair> {
    const now = new Date();
    const stored = await this.refreshTokens.findByHash(hashToken(refreshToken));
    if (!stored || stored.expiresAt <= now) throw invalidRefreshToken();
    if (stored.usedAt || stored.revokedAt || !(await this.refreshTokens.spend(stored.id, now))) {
      await this.refreshTokens.revokeFamily(stored.familyId, now);
      throw invalidRefreshToken();
    }
    const user = await loadUser(stored.userId);
    if (!user) throw invalidRefreshToken();
    return this.pair(user, stored.familyId);
  }

  private async pair(user: TokenSubject, familyId: string): Promise<TokenPair> {
    const claims: Omit<AccessTokenClaims, 'exp'> = {
      sub: user.id,
      tid: user.tenantId,
      roles: user.roles as Role[],
      jti: randomUUID(),
      // NumericDate with milliseconds (RFC 7519 allows fractions): a token issued just after a
      // user's tokens were revoked must not look as old as the revoked ones.
      iat: Date.now() / 1000,
    };
    const accessToken = await this.jwt.signAsync(claims);
    const refreshToken = randomBytes(32).toString('base64url');
    await this.refreshTokens.create({
      tokenHash: hashToken(refreshToken),
      familyId,
      userId: user.id,
      expiresAt: new Date(Date.now() + this.config.AUTH_REFRESH_TOKEN_TTL_MS),
    });
    return { accessToken, refreshToken, expiresIn: this.accessTtlSeconds };
  }
}

/** Refresh tokens are 256 random bits: a fast hash is enough (no dictionary to attack). */
function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function invalidRefreshToken(): DomainError {
  return new DomainError('UNAUTHENTICATED', 'The refresh token is invalid, expired or already used.');
}
