import { Injectable } from '@nestjs/common';
import { createVerifier } from 'fast-jwt';
import { DomainError, ROLES } from '@crm/contracts';
import { z } from 'zod';
import { AppConfig } from '../../app.config';
import type { AuthenticatedUser } from '../auth.types';
import { JwtKeys } from '../keys/jwt-keys';
import { AccessTokenDenylist } from './access-token-denylist';

const userClaimsSchema = z.object({
  sub: z.string(),
  tid: z.string(),
  roles: z.array(z.enum(ROLES)),
  jti: z.string(),
  exp: z.number(),
  iat: z.number(),
  sid: z.string().optional(),
  operator: z.never().optional(),
});
const operatorClaimsSchema = z.object({
  sub: z.string(),
  operator: z.literal(true),
  tid: z.never().optional(),
  roles: z.array(z.never()).default([]),
  jti: z.string(),
  exp: z.number(),
  iat: z.number(),
});
const claimsSchema = z.union([userClaimsSchema, operatorClaimsSchema]);

/** Verified tokens remembered (LRU, never past their `exp`): a client sends the same token for its whole life. */
const VERIFIED_TOKEN_CACHE_SIZE = 10_000;

/**
 * An access token's caller: RS256 only, our issuer, not expired, well-formed claims, and not
 * revoked (logout, deactivation, role change; checked in Redis on every request so they take
 * effect at once). The signature check is cached by fast-jwt: RS256 verification was the
 * gateway's largest single cost per request.
 */
@Injectable()
export class AccessTokenVerifier {
  private readonly verifySignature: (token: string) => unknown;

  constructor(
    keys: JwtKeys,
    config: AppConfig,
    private readonly denylist: AccessTokenDenylist,
  ) {
    this.verifySignature = createVerifier({
      key: keys.publicKeyPem,
      algorithms: ['RS256'],
      allowedIss: config.AUTH_JWT_ISSUER,
      requiredClaims: ['exp', 'iat', 'sub', 'jti'],
      cache: VERIFIED_TOKEN_CACHE_SIZE,
    });
  }

  /** The caller of an `Authorization` header's bearer token; UNAUTHENTICATED otherwise. */
  async authenticate(authorization: string | undefined): Promise<AuthenticatedUser> {
    const token = bearerToken(authorization);
    if (!token) throw unauthenticated();
    let claims: z.infer<typeof claimsSchema>;
    try {
      claims = claimsSchema.parse(this.verifySignature(token));
    } catch {
      throw unauthenticated();
    }
    if (claims.operator) {
      if (await this.denylist.isRefused({ ...claims, sub: operatorSubject(claims.sub) })) throw unauthenticated();
      return { kind: 'operator', userId: claims.sub, tenantId: '', roles: [], jti: claims.jti, exp: claims.exp };
    }
    if (await this.denylist.isRefused(claims)) throw unauthenticated();
    return { kind: 'user', userId: claims.sub, tenantId: claims.tid, roles: claims.roles, jti: claims.jti, exp: claims.exp, sid: claims.sid };
  }
}

/** Operators' ids live in their own table: their revocation keys never share a user's. */
export function operatorSubject(operatorId: string): string {
  return `operator:${operatorId}`;
}

function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer +([A-Za-z0-9_.~+/-]+=*) *$/i.exec(authorization ?? '');
  return match?.[1];
}

const unauthenticated = () => new DomainError('UNAUTHENTICATED', 'A valid access token is required.');
