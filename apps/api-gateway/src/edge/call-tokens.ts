import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { Actor } from '@crm/contracts';
import { randomUUID } from 'node:crypto';
import { ClsService, CLS_REQ } from 'nestjs-cls';
import { VerifiedTokens } from '@crm/messaging';
import { AppConfig } from '../app.config';
import { bearerToken } from '../auth/guard/bearer-token';
import { JwtKeys } from '../auth/keys/jwt-keys';

/** Lifetime of a token the gateway signs for one call (and reuses for the same actor meanwhile). */
const CALL_TOKEN_TTL_SECONDS = 60;
/** A reused call token keeps at least this long to live when it is sent. */
const CALL_TOKEN_MIN_REMAINING_MS = 30_000;
const CALL_TOKEN_CACHE_SIZE = 1_000;
const PRESENTED_CACHE_SIZE = 1_000;

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
      signOptions: {
        algorithm: 'RS256',
        keyid: keys.kid,
        issuer: config.AUTH_JWT_ISSUER,
        audience: config.AUTH_JWT_AUDIENCE,
        expiresIn: CALL_TOKEN_TTL_SECONDS,
      },
    });
  }

  /**
   * Who each recently presented Authorization header names: decoding it on every call cost ~2% of
   * an echo. A VerifiedTokens, not a Map keyed by the whole header, which hashed its ~700
   * characters on each request (~1.8% of an echo's gateway CPU); it never expires here, the guard
   * has checked the token's expiry before any call is made for it.
   */
  private readonly presented = new VerifiedTokens<PresentedCaller | null>(PRESENTED_CACHE_SIZE);

  forCall(actor: Actor): string {
    const presented = this.presentedCaller();
    if (presented && presented.caller === callerKey(actor)) return presented.token;
    return this.signedFor(actor);
  }

  /** The bearer token of the HTTP request being handled and whom it names, if any (the guard has verified it). */
  private presentedCaller(): PresentedCaller | null {
    if (!this.cls.isActive()) return null;
    const request = this.cls.get<{ headers?: Record<string, string | string[] | undefined> } | undefined>(CLS_REQ);
    const authorization = request?.headers?.['authorization'];
    if (typeof authorization !== 'string') return null;
    let known = this.presented.get(authorization);
    if (known === undefined) {
      known = presentedCallerOf(authorization);
      this.presented.remember(authorization, known, Infinity);
    }
    return known;
  }

  private signedFor(actor: Actor): string {
    const key = callerKey(actor);
    const known = this.signed.get(key);
    if (known && known.expiresAtMs - Date.now() > CALL_TOKEN_MIN_REMAINING_MS) return known.token;
    const token = this.jwt.sign({ sub: actor.userId, tid: actor.tenantId, roles: actor.roles, jti: randomUUID(), iat: Date.now() / 1000 });
    if (this.signed.size >= CALL_TOKEN_CACHE_SIZE) this.signed.clear();
    this.signed.set(key, { token, expiresAtMs: Date.now() + CALL_TOKEN_TTL_SECONDS * 1000 });
    return token;
  }
}

interface PresentedCaller {
  token: string;
  /** callerKey of the actor its claims name. */
  caller: string;
}

function callerKey(actor: Pick<Actor, 'tenantId' | 'userId' | 'roles'>): string {
  return `${actor.tenantId}|${actor.userId}|${actor.roles.join(',')}`;
}

/** The token of a Bearer header and whom its claims name (already verified by the guard); null when unreadable. */
function presentedCallerOf(authorization: string): PresentedCaller | null {
  const token = bearerToken({ headers: { authorization } });
  if (!token) return null;
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    const { sub, tid, roles } = claims;
    if (typeof sub !== 'string' || typeof tid !== 'string' || !Array.isArray(roles) || !roles.every((role) => typeof role === 'string')) return null;
    // Forwarded only when it names exactly the actor the call is made for.
    return { token, caller: callerKey({ tenantId: tid, userId: sub, roles: roles as Actor['roles'] }) };
  } catch {
    return null;
  }
}
