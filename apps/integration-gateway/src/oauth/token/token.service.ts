import { Injectable } from '@nestjs/common';
import { ErpScope, ERP_SCOPES } from '../../erp-auth/erp-client';
import { ErpTokens } from '../../erp-auth/erp-tokens';
import { hashSecret, safeEqual } from '../../api-clients/api-client-secrets';
import { ApiClientRepository } from '../../api-clients/api-client.repository';
import { OAuthError } from '../oauth-error';

export interface TokenRequest {
  grant_type?: unknown;
  client_id?: unknown;
  client_secret?: unknown;
  scope?: unknown;
}

const KNOWN_SCOPES = new Set<string>(ERP_SCOPES);

/**
 * The OAuth 2.0 client-credentials grant (RFC 6749 §4.4): the client's id and secret (HTTP Basic
 * per §2.3.1, or the body) for an access token, optionally narrowed to some of its scopes.
 */
@Injectable()
export class TokenService {
  constructor(
    private readonly clients: ApiClientRepository,
    private readonly tokens: ErpTokens,
  ) {}

  async issue(body: TokenRequest, authorization: string | undefined) {
    if (body.grant_type !== 'client_credentials') {
      if (typeof body.grant_type !== 'string' || body.grant_type === '') throw new OAuthError('invalid_request', 'grant_type is required', 400);
      throw new OAuthError('unsupported_grant_type', 'only grant_type=client_credentials is supported', 400);
    }
    const credentials = clientCredentials(body, authorization);
    // The secret is found by its hash (a unique index): the lookup leaks nothing about the secret
    // itself; the client id and the hash are then compared in constant time.
    const hash = hashSecret(credentials.secret);
    const owner = await this.clients.secretOwner(hash);
    if (!owner || !safeEqual(owner.clientId, credentials.id) || !safeEqual(owner.secretHash, hash))
      throw new OAuthError('invalid_client', 'unknown client, wrong or expired secret, or revoked client', 401);
    const granted = owner.scopes.filter((scope): scope is ErpScope => KNOWN_SCOPES.has(scope));
    const scopes = narrow(granted, body.scope);
    await this.clients.touchLastUsed(owner.clientId);
    return this.tokens.issueAccessToken({ tenantId: owner.tenantId, clientId: owner.clientId, scopes });
  }
}

/** Basic (RFC 6749 §2.3.1: form-urlencoded id and secret, base64) or client_id and client_secret in the body; not both. */
function clientCredentials(body: TokenRequest, authorization: string | undefined): { id: string; secret: string } {
  const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
  if (basic) {
    if (body.client_secret !== undefined) throw new OAuthError('invalid_request', 'send the client secret once: HTTP Basic or the body, not both', 400);
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new OAuthError('invalid_client', 'malformed HTTP Basic credentials', 401);
    const id = safeDecode(decoded.slice(0, colon));
    const secret = safeDecode(decoded.slice(colon + 1));
    if (body.client_id !== undefined && body.client_id !== id) throw new OAuthError('invalid_request', 'client_id differs from the HTTP Basic one', 400);
    return { id, secret };
  }
  if (typeof body.client_id !== 'string' || typeof body.client_secret !== 'string' || !body.client_id || !body.client_secret)
    throw new OAuthError('invalid_client', 'send client_id and client_secret (HTTP Basic or the body)', 401);
  return { id: body.client_id, secret: body.client_secret };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    throw new OAuthError('invalid_client', 'malformed HTTP Basic credentials', 401);
  }
}

/** The requested scopes (space-separated), each one the client holds; all of the client's when none is asked. */
function narrow(granted: ErpScope[], requested: unknown): ErpScope[] {
  if (requested === undefined || requested === '') return granted;
  if (typeof requested !== 'string') throw new OAuthError('invalid_scope', 'scope must be a space-separated string', 400);
  const asked = [...new Set(requested.split(' ').filter(Boolean))];
  const missing = asked.filter((scope) => !granted.includes(scope as ErpScope));
  if (missing.length || asked.length === 0) throw new OAuthError('invalid_scope', `this client does not hold: ${missing.join(' ') || '(none asked)'}`, 400);
  return asked as ErpScope[];
}
