import { Inject, Injectable } from '@nestjs/common';
import { REDIS, type RedisClient } from '@crm/observability';
import { AppConfig } from '../../app.config';
import { RedisAnswers } from '../../redis/redis-answers';
import type { AuthenticatedUser } from '../auth.types';

/** The Redis keys that say whether one access token is refused (the request's admission script reads them). */
export interface RevocationKeys {
  /** Present = refused: the token itself (logout, by jti) and its session (refresh-token family). */
  markers: string[];
  /** A moment (ms since epoch): the user's tokens issued up to it are refused (deactivation, role change). */
  cutoff: string;
  /** The token's `iat` in milliseconds, compared with the cut-off. */
  issuedAtMs: number;
}

/**
 * Access tokens refused before their expiry, kept in Redis only as long as a token can live:
 * one token (logout, by jti), its session, or every token of a user issued up to a moment
 * (deactivation, role change). No database query on the hot path: a request's check runs in the
 * same Redis script as its rate limits (RequestRateLimiter), one round trip for both. Redis down
 * or not answering in time: DependencyUnavailableError (RedisAnswers), so a logout is answered
 * 503 (try again), never 200 for a token that is not refused.
 */
@Injectable()
export class AccessTokenDenylist {
  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    private readonly config: AppConfig,
    private readonly answers: RedisAnswers,
  ) {}

  async revoke(jti: string, expiresAtSeconds: number): Promise<void> {
    const ttl = Math.max(1, Math.ceil(expiresAtSeconds) - nowSeconds() + 1);
    await this.answers.of(this.redis.set(this.jtiKey(jti), '1', { EX: ttl }));
  }

  /**
   * Refuses every access token of the user issued up to now (tokens carry `iat` in milliseconds).
   * Kept for the longest a token lives; later tokens (after a login or refresh) are unaffected.
   */
  async revokeUserTokens(userId: string): Promise<void> {
    const ttl = Math.ceil(this.config.AUTH_ACCESS_TOKEN_TTL_MS / 1000) + 1;
    await this.answers.of(this.redis.set(this.userKey(userId), String(Date.now()), { EX: ttl }));
  }

  /**
   * Refuses every access token of a session (refresh-token family): logout, or a reused refresh
   * token. Kept for the longest a token lives; the family's refresh tokens are revoked in the database.
   */
  async revokeSession(sid: string): Promise<void> {
    const ttl = Math.ceil(this.config.AUTH_ACCESS_TOKEN_TTL_MS / 1000) + 1;
    await this.answers.of(this.redis.set(this.sessionKey(sid), '1', { EX: ttl }));
  }

  /** Where the caller's token would be listed as refused. */
  keysOf(caller: AuthenticatedUser): RevocationKeys {
    const markers = [this.jtiKey(caller.jti)];
    if (caller.sid) markers.push(this.sessionKey(caller.sid));
    // Operators' ids live in their own table: their revocation keys never share a user's.
    const subject =
      caller.kind === 'operator' ? operatorSubject(caller.userId) : caller.kind === 'customer' ? `portal:${caller.tenantId}:${caller.userId}` : caller.userId;
    return { markers, cutoff: this.userKey(subject), issuedAtMs: caller.iat * 1000 };
  }

  /** Whether the caller's token is refused, on its own (requests check it in their admission script). */
  async isRefused(caller: AuthenticatedUser): Promise<boolean> {
    const { markers, cutoff, issuedAtMs } = this.keysOf(caller);
    const [cutoffMs, ...listed] = await this.answers.of(this.redis.mGet([cutoff, ...markers]));
    return listed.some((value) => value !== null) || (cutoffMs !== null && issuedAtMs <= Number(cutoffMs));
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

/** Operators' ids live in their own table: their revocation keys never share a user's. */
function operatorSubject(operatorId: string): string {
  return `operator:${operatorId}`;
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
