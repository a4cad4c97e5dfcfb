import { z } from 'zod';
import { defaultDatabaseUrl } from './database-url';
import { envBoolean, envDurationMs, envLogLevel, envNodeEnv, envPem, envPort, envUrl } from './env-schemas';

/** How far a service's internal port is from its client port by default: 3000 → 9000, 3101 → 9101. */
export const INTERNAL_PORT_OFFSET = 6000;

/**
 * The variables every service reads, with defaults for a local run from source. A service's
 * schema spreads this shape and adds its own database URL and settings.
 */
export function serviceConfigShape(defaultPort: number) {
  return {
    NODE_ENV: envNodeEnv().default('development'),
    PORT: envPort().default(defaultPort),
    /**
     * The internal port: metrics (GET /metrics) and readiness details, for Prometheus and the
     * orchestrator, never for clients. Default: PORT's default + 6000. 0: any free port.
     */
    INTERNAL_PORT: z.union([z.literal('0').transform(() => 0), envPort()]).default(defaultPort + INTERNAL_PORT_OFFSET),
    LOG_LEVEL: envLogLevel().default('info'),
    LOG_PRETTY: envBoolean().default(false),
    RABBITMQ_URL: envUrl(['amqp', 'amqps']).default('amqp://guest:guest@127.0.0.1:5672'),
    SHUTDOWN_TIMEOUT_MS: envDurationMs().default(10_000),
    /** Prefix of every exchange and queue name: isolates tests and side-by-side systems on one broker. */
    BUS_NAME_PREFIX: z
      .string()
      .regex(/^[a-z0-9._-]*$/, 'only lower-case letters, digits, dot, dash, underscore')
      .default(''),
    /**
     * Broker users are `<BUS_USER_PREFIX><service>` (tools/bus-users.sh): an event is trusted only
     * when the broker says the owning service's user published it.
     */
    BUS_USER_PREFIX: z
      .string()
      .regex(/^[a-z0-9._-]*$/, 'only lower-case letters, digits, dot, dash, underscore')
      .default('crm-'),
    ...callerVerificationShape(),
  };
}

/**
 * Redis, for the one service that keeps state there (the API gateway: rate limits, the token
 * denylist, idempotency records, login throttling). Other services neither read it nor load a
 * Redis client (node-redis is ~20 MiB of an idle process).
 */
export function redisConfigShape() {
  return {
    REDIS_URL: envUrl(['redis', 'rediss']).default('redis://127.0.0.1:6379'),
  };
}

/** A service's own Postgres database (`envServiceDatabaseUrl('contacts')`), by default its development database. */
export function envServiceDatabaseUrl(service: string) {
  return envUrl(['postgresql', 'postgres']).default(defaultDatabaseUrl(service));
}

/**
 * How a service verifies the callers of its commands and queries: the gateway's access tokens
 * (RS256), checked against the gateway's JWKS, or against a pinned public key when one is set.
 */
export function callerVerificationShape() {
  return {
    /** The gateway's JSON Web Key Set. */
    AUTH_JWKS_URL: envUrl(['http', 'https']).default('http://127.0.0.1:3000/.well-known/jwks.json'),
    /** The gateway's RS256 public key (PEM); when set, trusted instead of fetching the JWKS. */
    AUTH_JWT_PUBLIC_KEY: envPem().optional(),
    /** The `iss` the gateway writes in its tokens. */
    AUTH_JWT_ISSUER: z.string().min(1).default('crm-api-gateway'),
    /** The `aud` the gateway writes in its tokens (its AUTH_JWT_AUDIENCE): a token for another audience is refused. */
    AUTH_JWT_AUDIENCE: z.string().min(1).default('crm-api'),
    /** The integration gateway's JSON Web Key Set: the tokens it signs for ERP clients' calls. */
    INTEGRATION_JWKS_URL: envUrl(['http', 'https']).default('http://127.0.0.1:3104/.well-known/jwks.json'),
    /** The integration gateway's RS256 public key (PEM); when set, trusted instead of fetching its JWKS. */
    INTEGRATION_JWT_PUBLIC_KEY: envPem().optional(),
    /** The `iss` the integration gateway writes in its tokens. */
    INTEGRATION_JWT_ISSUER: z.string().min(1).default('crm-integration-gateway'),
  };
}
