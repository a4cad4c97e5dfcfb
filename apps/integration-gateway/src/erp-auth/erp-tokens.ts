import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { DomainError } from '@crm/contracts';
import { AppConfig } from '../app.config';
import { ERP_SCOPES, ErpClient, ErpScope } from './erp-client';
import { ErpKeys } from './erp-keys';

/** Lifetime of a call token (what services verify); reused for the same client meanwhile. */
const CALL_TOKEN_TTL_SECONDS = 120;
const CALL_TOKEN_MIN_REMAINING_MS = 60_000;
const CALL_TOKEN_CACHE_SIZE = 1_000;
const SCOPE_SET = new Set<string>(ERP_SCOPES);

/**
 * The two kinds of token this gateway signs with its key:
 * - an ERP client's access token (client-credentials grant): audience ERP_TOKEN_AUDIENCE, claims
 *   `tid`, `scope` (space-separated, RFC 8693 style), `sub` = the client id;
 * - the call token a bus request carries for that client: the services' audience, role `sales`
 *   (what every /erp write maps to in the services), so the services verify who asks exactly as
 *   they do for the API gateway's users. Scopes are enforced here, at the edge.
 */
@Injectable()
export class ErpTokens {
  private readonly callTokens = new Map<string, { token: string; expiresAtMs: number }>();

  constructor(
    private readonly keys: ErpKeys,
    private readonly config: AppConfig,
  ) {}

  async issueAccessToken(client: ErpClient): Promise<{ access_token: string; token_type: 'Bearer'; expires_in: number; scope: string }> {
    const ttl = this.config.ERP_TOKEN_TTL_SECONDS;
    const scope = client.scopes.join(' ');
    const token = await new SignJWT({ tid: client.tenantId, scope })
      .setProtectedHeader({ alg: 'RS256', kid: this.keys.kid, typ: 'at+jwt' })
      .setIssuer(this.config.INTEGRATION_JWT_ISSUER)
      .setAudience(this.config.ERP_TOKEN_AUDIENCE)
      .setSubject(client.clientId)
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime(`${ttl}s`)
      .sign(this.keys.privateKey);
    return { access_token: token, token_type: 'Bearer', expires_in: ttl, scope };
  }

  /** The client an access token names, or DomainError UNAUTHENTICATED. */
  async verifyAccessToken(token: string): Promise<ErpClient> {
    try {
      const { payload } = await jwtVerify(token, this.keys.publicKey, {
        algorithms: ['RS256'],
        issuer: this.config.INTEGRATION_JWT_ISSUER,
        audience: this.config.ERP_TOKEN_AUDIENCE,
        typ: 'at+jwt',
        requiredClaims: ['exp', 'sub'],
      });
      const { sub, tid, scope } = payload;
      if (typeof sub !== 'string' || typeof tid !== 'string' || typeof scope !== 'string') throw new Error('claims');
      const scopes = scope.split(' ').filter((s) => SCOPE_SET.has(s)) as ErpScope[];
      return { tenantId: tid, clientId: sub, scopes };
    } catch (error) {
      const reason = error instanceof joseErrors.JOSEError ? error.code : 'ERR_JWT_CLAIMS_INVALID';
      throw new DomainError('UNAUTHENTICATED', `access token refused: ${reason}`);
    }
  }

  /** The token a bus call for `client` carries (cached while it has a minute left). */
  async callToken(client: ErpClient): Promise<string> {
    const key = `${client.tenantId}|${client.clientId}`;
    const known = this.callTokens.get(key);
    if (known && known.expiresAtMs - Date.now() > CALL_TOKEN_MIN_REMAINING_MS) return known.token;
    const token = await new SignJWT({ tid: client.tenantId, roles: ['sales'], client: true })
      .setProtectedHeader({ alg: 'RS256', kid: this.keys.kid })
      .setIssuer(this.config.INTEGRATION_JWT_ISSUER)
      .setAudience(this.config.AUTH_JWT_AUDIENCE)
      .setSubject(client.clientId)
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime(`${CALL_TOKEN_TTL_SECONDS}s`)
      .sign(this.keys.privateKey);
    if (this.callTokens.size >= CALL_TOKEN_CACHE_SIZE) this.callTokens.clear();
    this.callTokens.set(key, { token, expiresAtMs: Date.now() + CALL_TOKEN_TTL_SECONDS * 1000 });
    return token;
  }
}
