import { Inject, Injectable } from '@nestjs/common';
import { REDIS } from '@crm/observability';
import type Redis from 'ioredis';
import { AppConfig } from '../../app.config';

/**
 * Access tokens refused before their expiry, kept in Redis only as long as a token can live:
 * one token (logout, by jti), or every token of a user issued up to a moment (deactivation, role
 * change). One Redis round trip per request answers both; no database query on the hot path.
 */
@Injectable()
export class AccessTokenDenylist {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  async revoke(jti: string, expiresAtSeconds: number): Promise<void> {
    const ttl = Math.max(1, Math.ceil(expiresAtSeconds) - nowSeconds() + 1);
    await this.redis.set(this.jtiKey(jti), '1', 'EX', ttl);
  }

  /**
   * Refuses every access token of the user issued up to now (tokens carry `iat` in milliseconds).
   * Kept for the longest a token lives; later tokens (after a login or refresh) are unaffected.
   */
  async revokeUserTokens(userId: string): Promise<void> {
    const ttl = Math.ceil(this.config.AUTH_ACCESS_TOKEN_TTL_MS / 1000) + 1;
    await this.redis.set(this.userKey(userId), String(Date.now()), 'EX', ttl);
  }

  /**
   * Refuses every access token of a session (refresh-token family): logout, or a reused refresh
   * token. Kept for the longest a token lives; the family's refresh tokens are revoked in the database.
   */
  async revokeSession(sid: string): Promise<void> {
    const ttl = Math.ceil(this.config.AUTH_ACCESS_TOKEN_TTL_MS / 1000) + 1;
    await this.redis.set(this.sessionKey(sid), '1', 'EX', ttl);
  }

  async isRefused(claims: { jti: string; sub: string; iat: number; sid?: string }): Promise<boolean> {
    const keys = [this.jtiKey(claims.jti), this.userKey(claims.sub)];
    if (claims.sid) keys.push(this.sessionKey(claims.sid));
    const [revoked, cutoffMs, sessionRevoked] = await this.redis.mget(...keys);
    return revoked !== null || (sessionRevoked ?? null) !== null || (cutoffMs !== null && claims.iat * 1000 <= Number(cutoffMs));
  }

  private jtiKey(jti: string): string {
    return `${this.config.AUTH_REDIS_PREFIX}revoked-jti:${jti}`;
  }

  private sessionKey(sid: string): string {
    return `${this.config.AUTH_REDIS_PREFIX}revoked-session:${sid}`;
  }

  private userKey(userId: string): string {
    return `${this.config.AUTH_REDIS_PREFIX}user-tokens-revoked-at:${userId}`;
  }
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
