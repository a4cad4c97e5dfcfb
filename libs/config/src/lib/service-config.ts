import { z } from 'zod';
import { envBoolean, envDurationMs, envLogLevel, envNodeEnv, envPort, envUrl } from './env-schemas';

/**
 * The variables every service reads, with defaults for a local run from source. A service's
 * schema spreads this shape and adds its own database URL and settings.
 */
export function serviceConfigShape(defaultPort: number) {
  return {
    NODE_ENV: envNodeEnv().default('development'),
    PORT: envPort().default(defaultPort),
    LOG_LEVEL: envLogLevel().default('info'),
    LOG_PRETTY: envBoolean().default(false),
    RABBITMQ_URL: envUrl(['amqp', 'amqps']).default('amqp://guest:guest@127.0.0.1:5672'),
    REDIS_URL: envUrl(['redis', 'rediss']).default('redis://127.0.0.1:6379'),
    SHUTDOWN_TIMEOUT_MS: envDurationMs().default(10_000),
    /** Prefix of every exchange and queue name: isolates tests and side-by-side systems on one broker. */
    BUS_NAME_PREFIX: z.string().regex(/^[a-z0-9._-]*$/, 'only lower-case letters, digits, dot, dash, underscore').default(''),
  };
}

/** A service's own Postgres database, by default on the local server. */
export function envDatabaseUrl(defaultDatabase: string) {
  return envUrl(['postgresql', 'postgres']).default(`postgresql://postgres@127.0.0.1:5432/${defaultDatabase}`);
}
