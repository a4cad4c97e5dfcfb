import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { TransactionHost } from '@nestjs-cls/transactional';
import { DomainError, Role } from '@crm/contracts';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { AppConfig } from '../../app.config';
import type { AccessTokenClaims, CustomerTokenClaims, OperatorTokenClaims, TokenPair } from '../auth.types';
import { JwtKeys } from '../keys/jwt-keys';
import { AccessTokenDenylist } from './access-token-denylist';
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
    private readonly denylist: AccessTokenDenylist,
    private readonly txHost: TransactionHost,
  ) {
    this.accessTtlSeconds = Math.floor(config.AUTH_ACCESS_TOKEN_TTL_MS / 1000);
    this.jwt = new JwtService({
      privateKey: keys.privateKeyPem,
      signOptions: {
        algorithm: 'RS256',
        keyid: keys.kid,
        issuer: config.AUTH_JWT_ISSUER,
        audience: config.AUTH_JWT_AUDIENCE,
        expiresIn: this.accessTtlSeconds,
      },
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
   * A portal customer's access token, for a one-time sign-in link the support-tickets service has
   * spent: `portal: true`, the tenant, the address as subject; AUTH_PORTAL_TOKEN_TTL_MS, no refresh
   * token (the customer asks for a new link).
   */
  async issuePortalToken(tenantId: string, email: string): Promise<{ accessToken: string; expiresIn: number }> {
    const expiresIn = Math.floor(this.config.AUTH_PORTAL_TOKEN_TTL_MS / 1000);
    const claims: Omit<CustomerTokenClaims, 'exp'> = { sub: email, tid: tenantId, portal: true, roles: [], jti: randomUUID(), iat: Date.now() / 1000 };
    return { accessToken: await this.jwt.signAsync(claims, { expiresIn }), expiresIn };
  }

  /**
   * Spends `refreshToken` and returns a new pair in the same family (session). A token presented
   * again after it was spent revokes its whole family (it was stolen, or the client replays it),
   * and every access token of the session with it. One transaction holding the family's lock:
   * check (the token unused, the family never revoked), spend and issue are atomic against a
   * concurrent reuse, so no token is issued into a family being revoked. `loadUser` returns the
   * token's user if it may still sign in.
   */
  async rotate(refreshToken: string, loadUser: (userId: string) => Promise<TokenSubject | null>): Promise<TokenPair> {
    const tokenHash = hashToken(refreshToken);
    const outcome = await this.txHost.withTransaction(async (): Promise<TokenPair | 'invalid' | { reused: string }> => {
      const found = await this.refreshTokens.findByHash(tokenHash);
      if (!found) return 'invalid';
      await this.refreshTokens.lockFamily(found.familyId);
      // Read again under the lock: a concurrent rotation or revocation has committed by now.
      const stored = await this.refreshTokens.findByHash(tokenHash);
      const now = new Date();
      if (!stored || stored.expiresAt <= now) return 'invalid';
      if (stored.usedAt || stored.revokedAt || (await this.refreshTokens.isFamilyRevoked(stored.familyId))) {
        await this.refreshTokens.revokeFamily(stored.familyId, now);
        return { reused: stored.familyId };
      }
      if (!(await this.refreshTokens.spend(stored.id, now))) return 'invalid';
      const user = await loadUser(stored.userId);
      if (!user) return 'invalid';
      return this.pair(user, stored.familyId);
    });
    if (outcome === 'invalid') throw invalidRefreshToken();
    if ('reused' in outcome) {
      await this.denylist.revokeSession(outcome.reused);
      throw invalidRefreshToken();
    }
    return outcome;
  }

  /** Ends one session of the user (logout): its refresh tokens and every access token it issued. */
  async endSession(userId: string, sessionId: string): Promise<void> {
    await this.txHost.withTransaction(async () => {
      await this.refreshTokens.lockFamily(sessionId);
      await this.refreshTokens.revokeUserFamily(userId, sessionId, new Date());
    });
    await this.denylist.revokeSession(sessionId);
  }

  /** Ends every session of the user (logout-all): every refresh token revoked, every access token issued so far refused. */
  async endAllSessions(userId: string): Promise<void> {
    await this.refreshTokens.revokeAllForUser(userId, new Date());
    await this.denylist.revokeUserTokens(userId);
  }

  private async pair(user: TokenSubject, familyId: string): Promise<TokenPair> {
    const claims: Omit<AccessTokenClaims, 'exp'> = {
      sub: user.id,
      tid: user.tenantId,
      roles: user.roles as Role[],
      jti: randomUUID(),
      sid: familyId,
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
