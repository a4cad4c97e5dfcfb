import { TypedConfig, envBoolean, envServiceDatabaseUrl, envDurationMs, redisConfigShape, serviceConfigShape } from '@crm/config';
import { isIP } from 'node:net';
import { z } from 'zod';

export const SERVICE_NAME = 'api-gateway';

/** Every environment variable the api-gateway service reads; defaults suit a local run from source. */
export const appConfigSchema = z
  .object({
    ...serviceConfigShape(3000),
    ...redisConfigShape(),
    API_GATEWAY_DATABASE_URL: envServiceDatabaseUrl(SERVICE_NAME),

    // HTTP edge: browsers, body size, rate limits, idempotent retries.
    /** Origins allowed to call the API from a browser (comma-separated, e.g. `https://app.example.com`); empty: no CORS headers. */
    GATEWAY_CORS_ORIGINS: envOriginList().default([]),
    /** Whether browsers may send cookies / HTTP auth with cross-origin requests. */
    GATEWAY_CORS_CREDENTIALS: envBoolean().default(false),
    /** Largest request body accepted; bigger ones get 413. */
    GATEWAY_BODY_LIMIT_BYTES: envPositiveInt().default(1_048_576),
    /** Largest raw email POST /api/v1/tickets/inbound-email accepts (the support-tickets service's own limit should match); bigger ones get 413. */
    GATEWAY_INBOUND_EMAIL_MAX_BYTES: envPositiveInt().default(10 * 1024 * 1024),
    /** Requests each user / each tenant may make per window (authenticated routes), counted in Redis across replicas. */
    GATEWAY_RATE_LIMIT_PER_USER: envPositiveInt().default(600),
    GATEWAY_RATE_LIMIT_PER_TENANT: envPositiveInt().default(3000),
    GATEWAY_RATE_LIMIT_WINDOW_MS: envDurationMs()
      .refine((ms) => ms >= 1_000, 'must be at least 1s')
      .default(60_000),
    /**
     * Public API routes (login, refresh, sign-up, any other @Public() route under /api) are limited
     * per client IP address, counted in Redis across replicas. Sign-up (an argon2 hash and a new
     * tenant each) has its own, stricter budget.
     */
    GATEWAY_PUBLIC_RATE_LIMIT_PER_IP: envPositiveInt().default(60),
    GATEWAY_PUBLIC_RATE_LIMIT_WINDOW_MS: envDurationMs()
      .refine((ms) => ms >= 1_000, 'must be at least 1s')
      .default(60_000),
    /**
     * How long a request waits for each of Redis' answers (its rate limits and revocation check,
     * a sign-in attempt's count, a logout's revocation, an Idempotency-Key record: RedisAnswers).
     * Then the request fails with 503, as when Redis is down; only a public route's own rate
     * limit is counted in this process instead.
     */
    GATEWAY_REDIS_DEADLINE_MS: envDurationMs()
      .refine((ms) => ms >= 200, 'must be at least 200ms')
      .default(5_000),
    GATEWAY_SIGNUP_RATE_LIMIT_PER_IP: envPositiveInt().default(10),
    GATEWAY_SIGNUP_RATE_LIMIT_WINDOW_MS: envDurationMs()
      .refine((ms) => ms >= 1_000, 'must be at least 1s')
      .default(3_600_000),
    /**
     * Proxies (comma-separated IP addresses or CIDR ranges, e.g. the ingress' pod range) whose
     * X-Forwarded-For is believed: the client address is the last one not among them. Empty (the
     * default): the socket's address, so a client cannot claim another address.
     */
    GATEWAY_TRUSTED_PROXIES: envProxyList().default([]),
    /** How long a completed request is replayed for the same Idempotency-Key. */
    GATEWAY_IDEMPOTENCY_TTL_MS: envDurationMs()
      .refine((ms) => ms >= 1_000, 'must be at least 1s')
      .default(24 * 3_600_000),
    /** How long a key stays locked by a request in progress; must outlast the slowest request (so a crashed gateway frees it). */
    GATEWAY_IDEMPOTENCY_IN_FLIGHT_TTL_MS: envDurationMs()
      .refine((ms) => ms >= 1_000, 'must be at least 1s')
      .default(60_000),

    // Identity and authentication.
    /** Public sign-up (creates a tenant and its first admin). Default: off when NODE_ENV=production, on otherwise. */
    AUTH_SIGNUP_ENABLED: envBoolean().optional(),
    /** RS256 key pair (PEM; literal `\n` accepted). Neither set: a development pair is generated at start. */
    AUTH_JWT_PRIVATE_KEY: envPem().optional(),
    AUTH_JWT_PUBLIC_KEY: envPem().optional(),
    AUTH_JWT_ISSUER: z.string().min(1).default('crm-api-gateway'),
    /** The `aud` of the access tokens the gateway issues, and the only one it accepts. */
    AUTH_JWT_AUDIENCE: z.string().min(1).default('crm-api'),
    AUTH_ACCESS_TOKEN_TTL_MS: envDurationMs()
      .refine((ms) => ms >= 1_000 && ms <= 15 * 60_000, 'must be between 1s and 15m')
      .default(15 * 60_000),
    AUTH_REFRESH_TOKEN_TTL_MS: envDurationMs().default(30 * 24 * 3_600_000),
    /** How long a portal customer's session lasts (no refresh: then a new sign-in link). */
    AUTH_PORTAL_TOKEN_TTL_MS: envDurationMs()
      .refine((ms) => ms >= 60_000 && ms <= 24 * 3_600_000, 'must be between 1m and 24h')
      .default(4 * 3_600_000),
    /** Failed logins allowed per account / per IP address within the window, then 429 until it ends. */
    AUTH_LOGIN_MAX_FAILURES_PER_ACCOUNT: envPositiveInt().default(5),
    AUTH_LOGIN_MAX_FAILURES_PER_IP: envPositiveInt().default(50),
    AUTH_LOGIN_FAILURE_WINDOW_MS: envDurationMs().default(15 * 60_000),
    /** Prefix of the gateway's Redis keys (login throttling, revoked access tokens). */
    AUTH_REDIS_PREFIX: z.string().default('gw:'),

    /** How long a route waits for a service's reply over the bus before answering 504 (routes may set their own). */
    GATEWAY_RPC_TIMEOUT_MS: envDurationMs()
      .refine((ms) => ms >= 1, 'must be at least 1ms')
      .default(5_000),
  })
  // A generated pair changes at every start and differs per replica: every token breaks. Never in production.
  .refine((c) => c.NODE_ENV !== 'production' || (c.AUTH_JWT_PRIVATE_KEY && c.AUTH_JWT_PUBLIC_KEY), {
    message: 'required when NODE_ENV=production (RS256 key pair, PEM)',
    path: ['AUTH_JWT_PRIVATE_KEY'],
  })
  .refine((c) => !c.AUTH_JWT_PRIVATE_KEY === !c.AUTH_JWT_PUBLIC_KEY, {
    message: 'set both AUTH_JWT_PRIVATE_KEY and AUTH_JWT_PUBLIC_KEY, or neither',
    path: ['AUTH_JWT_PUBLIC_KEY'],
  })
  // Nobody should open public sign-up on a production system by accident: there it takes AUTH_SIGNUP_ENABLED=true.
  .overwrite((c) => ({ ...c, AUTH_SIGNUP_ENABLED: c.AUTH_SIGNUP_ENABLED ?? c.NODE_ENV !== 'production' }));

function envPem() {
  return z
    .string()
    .transform((value) => value.replace(/\\n/g, '\n').trim())
    .refine((value) => /^-----BEGIN [A-Z ]+-----[\s\S]+-----END [A-Z ]+-----$/.test(value), 'must be a PEM block');
}

function envPositiveInt() {
  return z.string().regex(/^\d+$/, 'must be a positive integer').transform(Number).pipe(z.number().int().min(1));
}

/** Comma-separated origins (`scheme://host[:port]`), trimmed; empty entries ignored. */
function envOriginList() {
  return z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    )
    .refine(
      (origins) => origins.every((origin) => URL.canParse(origin) && new URL(origin).origin === origin),
      'must be comma-separated origins such as https://app.example.com',
    );
}

/** Comma-separated IP addresses or CIDR ranges (`10.0.0.0/8`, `::1`), trimmed; empty entries ignored. */
function envProxyList() {
  return z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean),
    )
    .refine((entries) => entries.every(isAddressOrRange), 'must be comma-separated IP addresses or CIDR ranges such as 10.0.0.0/8');
}

function isAddressOrRange(entry: string): boolean {
  const [address, bits, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128);
}

/** The validated config, injectable by type: `constructor(private readonly config: AppConfig)`. */
export class AppConfig extends TypedConfig(appConfigSchema) {}
