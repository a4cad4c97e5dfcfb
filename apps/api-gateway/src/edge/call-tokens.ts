import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { Actor } from '@crm/contracts';
import { randomUUID } from 'node:crypto';
import { ClsService, CLS_REQ } from 'nestjs-cls';
import { AppConfig } from '../app.config';
import { bearerToken } from '../auth/guard/bearer-token';
import { JwtKeys } from '../auth/keys/jwt-keys';

/** Lifetime of a token the gateway signs for one call (and reuses for the same actor meanwhile). */
const CALL_TOKEN_TTL_SECONDS = 60;
/** A reused call token keeps at least this long to live when it is sent. */
const CALL_TOKEN_MIN_REMAINING_MS = 30_000;
const CALL_TOKEN_CACHE_SIZE = 1_000;

/**
 * The token a service call carries so that the service can verify who asks (RS256 against the
 * gateway's JWKS) instead of trusting an actor in the message: the caller's own access token
 * when the call is made for the request that presented it, otherwise a short-lived token the
 * gateway signs for the actor (same claims, same key, 60 s).
 */
@Injectable()
export class CallTokens {
  private readonly jwt: JwtService;
  private readonly signed = new Map<string, { token: string; expiresAtMs: number }>();

  constructor(
    keys: JwtKeys,
    config: AppConfig,
    private readonly cls: ClsService,
  ) {
    // Signed as the access tokens are (TokenService): same key, issuer and audience.
    this.jwt = new JwtService({
      privateKey: keys.privateKeyPem,
      signOptions: { algorithm: 'RS256', keyid: keys.kid, issuer: config.AUTH_JWT_ISSUER, audience: config.AUTH_JWT_AUDIENCE, expiresIn: CALL_TOKEN_TTL_SECONDS },
    });
  }

  forCall(actor: Actor): string {
    const presented = this.presentedToken();
    if (presented && sameCaller(presented, actor)) return presented;
    return this.signedFor(actor);
  }

  /** The bearer token of the HTTP request being handled, if any (the guard has verified it). */
  private presentedToken(): string | undefined {
    if (!this.cls.isActive()) return undefined;
    const request = this.cls.get<{ headers?: Record<string, string | string[] | undefined> } | undefined>(CLS_REQ);
    return (request?.headers && bearerToken({ headers: request.headers })) || undefined;
  }

  private signedFor(actor: Actor): string {
    const key = `${actor.tenantId}|${actor.userId}|${actor.roles.join(',')}`;
    const known = this.signed.get(key);
    if (known && known.expiresAtMs - Date.now() > CALL_TOKEN_MIN_REMAINING_MS) return known.token;
    const token = this.jwt.sign({ sub: actor.userId, tid: actor.tenantId, roles: actor.roles, jti: randomUUID(), iat: Date.now() / 1000 });
    if (this.signed.size >= CALL_TOKEN_CACHE_SIZE) this.signed.clear();
    this.signed.set(key, { token, expiresAtMs: Date.now() + CALL_TOKEN_TTL_SECONDS * 1000 });
    return token;
  }
}

/** Whether a token (already verified by the guard) names exactly this actor: only then is it forwarded. */
function sameCaller(token: string, actor: Actor): boolean {
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    return (
      claims['sub'] === actor.userId &&
      claims['tid'] === actor.tenantId &&
      Array.isArray(claims['roles']) &&
      claims['roles'].length === actor.roles.length &&
      actor.roles.every((role, i) => (claims['roles'] as unknown[])[i] === role)
    );
  } catch {
    return false;
  }
}
