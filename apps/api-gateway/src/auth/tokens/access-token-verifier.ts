import { Injectable } from '@nestjs/common';
import { createVerifier } from 'fast-jwt';
import { DomainError, ROLES } from '@crm/contracts';
import { z } from 'zod';
import { AppConfig } from '../../app.config';
import type { AuthenticatedUser } from '../auth.types';
import { JwtKeys } from '../keys/jwt-keys';
import { AccessTokenDenylist } from './access-token-denylist';

const claimsSchema = z.object({
  sub: z.string(),
  tid: z.string(),
  roles: z.array(z.enum(ROLES)),
  jti: z.string(),
  exp: z.number(),
  iat: z.number(),
});

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
      requiredClaims: ['exp', 'iat', 'sub', 'tid', 'jti'],
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
    if (await this.denylist.isRefused(claims)) throw unauthenticated();
    return { userId: claims.sub, tenantId: claims.tid, roles: claims.roles, jti: claims.jti, exp: claims.exp };
  }
}

function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer +([A-Za-z0-9_.~+/-]+=*) *$/i.exec(authorization ?? '');
  return match?.[1];
}

const unauthenticated = () => new DomainError('UNAUTHENTICATED', 'A valid access token is required.');
