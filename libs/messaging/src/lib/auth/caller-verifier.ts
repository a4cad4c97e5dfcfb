import { Inject, Injectable } from '@nestjs/common';
import { createPublicKey } from 'node:crypto';
import { createRemoteJWKSet, decodeJwt, errors as joseErrors, jwtVerify, type JWTVerifyGetKey, type KeyObject } from 'jose';
import { Actor, DomainError, ROLES } from '@crm/contracts';
import { MESSAGING_OPTIONS, ResolvedMessagingOptions, TrustedIssuer } from '../messaging.options';
import { VerifiedTokens } from './verified-tokens';

interface Verified {
  actor: Actor;
  /** The token's `exp`, in milliseconds. */
  expiresAtMs: number;
}

const ROLE_SET = new Set<string>(ROLES);

/**
 * Who sends an RPC request: the gateway forwards the caller's access token (RS256, signed by the
 * gateway) with each request, and the serving side verifies it here before trusting tenant and
 * roles: RS256 only, the gateway's issuer, not expired, a tenant and known roles. Operator tokens
 * (no tenant) are refused: services only act for a tenant's user.
 *
 * The key is the gateway's JWKS (`callers.jwksUrl`, fetched and refreshed by jose) or a pinned
 * public key (`callers.publicKeyPem`). Other gateways (`callers.alsoTrusted`: the integration
 * gateway) are trusted each with its own key: the token's `iss` picks the key, and only that one.
 * Verified tokens are remembered (VerifiedTokens, up to `callers.cacheSize`, never past their `exp`).
 */
@Injectable()
export class CallerVerifier {
  private readonly verified: VerifiedTokens<Actor>;
  private readonly inFlight = new Map<string, Promise<Verified>>();
  private readonly keys = new Map<string, KeyObject | JWTVerifyGetKey>();

  constructor(@Inject(MESSAGING_OPTIONS) private readonly options: ResolvedMessagingOptions) {
    this.verified = new VerifiedTokens(options.callers.cacheSize);
  }

  /** The caller of `token`, or DomainError UNAUTHENTICATED. */
  async verify(token: unknown): Promise<Actor> {
    if (typeof token !== 'string' || token.length === 0) throw unauthenticated('the request carries no caller token');
    const known = this.verified.get(token);
    if (known) return known;
    let pending = this.inFlight.get(token);
    if (!pending) {
      pending = this.verifySignature(token).finally(() => this.inFlight.delete(token));
      this.inFlight.set(token, pending);
    }
    const result = await pending;
    this.verified.remember(token, result.actor, result.expiresAtMs);
    return result.actor;
  }

  /** Verified tokens currently remembered (tests, metrics). */
  get cacheSize(): number {
    return this.verified.size;
  }

  private async verifySignature(token: string): Promise<Verified> {
    let payload: Record<string, unknown>;
    const trusted = this.trustedIssuerOf(token);
    try {
      ({ payload } = await jwtVerify(token, this.verificationKey(trusted) as JWTVerifyGetKey, {
        algorithms: ['RS256'],
        issuer: trusted.issuer,
        audience: this.options.callers.audience,
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (error) {
      if (error instanceof joseErrors.JOSEError && !(error instanceof joseErrors.JWKSTimeout)) {
        throw unauthenticated(`caller token refused: ${error.code}`);
      }
      // The JWKS could not be fetched (gateway down): not the caller's fault, and not cached.
      throw error;
    }
    const { sub, tid, roles, exp } = payload;
    if (typeof tid !== 'string' || tid.length === 0) throw unauthenticated('caller token has no tenant');
    if (typeof sub !== 'string' || sub.length === 0) throw unauthenticated('caller token has no subject');
    if (!Array.isArray(roles) || !roles.every((role) => typeof role === 'string' && ROLE_SET.has(role))) {
      throw unauthenticated('caller token has invalid roles');
    }
    return { actor: { tenantId: tid, userId: sub, roles: roles as Actor['roles'] }, expiresAtMs: (exp as number) * 1000 };
  }

  /** The trusted gateway the token says issued it (checked by the signature next); the API gateway when it names none. */
  private trustedIssuerOf(token: string): TrustedIssuer {
    const { callers } = this.options;
    let issuer: unknown;
    try {
      issuer = decodeJwt(token).iss;
    } catch {
      throw unauthenticated('caller token refused: ERR_JWT_INVALID');
    }
    const other = callers.alsoTrusted.find((trusted) => trusted.issuer === issuer);
    return other ?? { issuer: callers.issuer, jwksUrl: callers.jwksUrl, publicKeyPem: callers.publicKeyPem };
  }

  private verificationKey({ issuer, jwksUrl, publicKeyPem }: TrustedIssuer): KeyObject | JWTVerifyGetKey {
    let key = this.keys.get(issuer);
    if (key) return key;
    key = publicKeyPem
      ? createPublicKey(publicKeyPem.replace(/\\n/g, '\n'))
      : createRemoteJWKSet(new URL(jwksUrl), { cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000, timeoutDuration: 5_000 });
    this.keys.set(issuer, key);
    return key;
  }

}

const unauthenticated = (message: string) => new DomainError('UNAUTHENTICATED', message);
