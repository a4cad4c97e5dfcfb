import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';

/** The issuer services expect by default (the gateway's AUTH_JWT_ISSUER). */
export const TEST_JWT_ISSUER = 'crm-api-gateway';
/** The issuer services expect of the integration gateway's tokens (its INTEGRATION_JWT_ISSUER). */
export const TEST_INTEGRATION_JWT_ISSUER = 'crm-integration-gateway';
/** The audience services expect by default (the gateway's AUTH_JWT_AUDIENCE). */
export const TEST_JWT_AUDIENCE = 'crm-api';

export interface TestCaller {
  tenantId: string;
  userId: string;
  roles: string[];
}

export interface TestTokenOptions {
  /** Lifetime from now; negative for an expired token. Default 10 minutes. */
  expiresInSeconds?: number;
  issuer?: string;
  audience?: string;
  /** Extra or overriding claims (e.g. `{ tid: undefined }` for an operator token without tenant). */
  claims?: Record<string, unknown>;
  /** Sign with another key (a forger's). */
  privateKeyPem?: string;
  /** JOSE `alg` written in the header (the signature stays RS256). */
  alg?: string;
}

let keys: { privateKeyPem: string; publicKeyPem: string } | undefined;

/**
 * The test key pair standing in for the gateway's signing keys: one per process, or the pair of
 * the parent process when it passed `TEST_JWT_PRIVATE_KEY` / `TEST_JWT_PUBLIC_KEY` down.
 */
export function testJwtKeys(): { privateKeyPem: string; publicKeyPem: string } {
  if (keys) return keys;
  const fromEnv = process.env['TEST_JWT_PRIVATE_KEY'] && process.env['TEST_JWT_PUBLIC_KEY'];
  if (fromEnv) {
    keys = { privateKeyPem: process.env['TEST_JWT_PRIVATE_KEY'] as string, publicKeyPem: process.env['TEST_JWT_PUBLIC_KEY'] as string };
  } else {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    keys = {
      privateKeyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      publicKeyPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    };
    process.env['TEST_JWT_PRIVATE_KEY'] = keys.privateKeyPem;
    process.env['TEST_JWT_PUBLIC_KEY'] = keys.publicKeyPem;
  }
  return keys;
}

/**
 * What a service's config needs to trust tokens from `testToken` (a pinned public key instead of
 * the gateway's JWKS); a gateway given `testGatewayKeyEnv()` signs with the same pair.
 */
export function testCallerEnv(): Record<string, string> {
  const { publicKeyPem } = testJwtKeys();
  return {
    AUTH_JWT_PUBLIC_KEY: publicKeyPem,
    AUTH_JWT_ISSUER: TEST_JWT_ISSUER,
    // The integration gateway signs with the same test pair under its own issuer.
    INTEGRATION_JWT_PUBLIC_KEY: publicKeyPem,
    INTEGRATION_JWT_ISSUER: TEST_INTEGRATION_JWT_ISSUER,
  };
}

/** The gateway's signing keys set to the test pair: services started with `testCallerEnv()` trust its tokens. */
export function testGatewayKeyEnv(): Record<string, string> {
  const { privateKeyPem, publicKeyPem } = testJwtKeys();
  return {
    AUTH_JWT_PRIVATE_KEY: privateKeyPem,
    AUTH_JWT_PUBLIC_KEY: publicKeyPem,
    AUTH_JWT_ISSUER: TEST_JWT_ISSUER,
    // The integration gateway's signing pair (INTEGRATION_JWT_PRIVATE_KEY), trusted by services under its issuer.
    INTEGRATION_JWT_PRIVATE_KEY: privateKeyPem,
    INTEGRATION_JWT_PUBLIC_KEY: publicKeyPem,
    INTEGRATION_JWT_ISSUER: TEST_INTEGRATION_JWT_ISSUER,
  };
}

/** An access token for `caller` as the gateway would issue it (RS256, the test key pair). */
export function testToken(caller: TestCaller, options: TestTokenOptions = {}): string {
  const now = Date.now() / 1000;
  const claims: Record<string, unknown> = {
    sub: caller.userId,
    tid: caller.tenantId,
    roles: caller.roles,
    jti: randomUUID(),
    iat: now,
    exp: Math.floor(now + (options.expiresInSeconds ?? 600)),
    iss: options.issuer ?? TEST_JWT_ISSUER,
    aud: options.audience ?? TEST_JWT_AUDIENCE,
    ...options.claims,
  };
  return signJwt(claims, options.privateKeyPem ?? testJwtKeys().privateKeyPem, options.alg ?? 'RS256');
}

/** Tokens by caller, reused while far from expiry (as a client reuses its access token). */
const reusable = new Map<string, { token: string; expiresAtMs: number }>();

/** Like `testToken` with the defaults, but the same token for the same caller while it is valid. */
export function testTokenFor(caller: TestCaller): string {
  const key = `${caller.tenantId}|${caller.userId}|${caller.roles.join(',')}`;
  const known = reusable.get(key);
  if (known && known.expiresAtMs - Date.now() > 60_000) return known.token;
  const token = testToken(caller);
  reusable.set(key, { token, expiresAtMs: Date.now() + 600_000 });
  return token;
}

function signJwt(claims: Record<string, unknown>, privateKeyPem: string, alg: string): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode({ alg, typ: 'JWT' })}.${encode(claims)}`;
  return `${input}.${sign('RSA-SHA256', Buffer.from(input), privateKeyPem).toString('base64url')}`;
}
