import {
  envBoolean,
  envDurationMs,
  envLogLevel,
  envNodeEnv,
  envPort,
  envUrl,
  TypedConfig,
} from '@crm/config';
import { z } from 'zod';

export const SERVICE_NAME = 'api-gateway';

/** Every environment variable the api-gateway service reads; defaults suit a local run from source. */
export const appConfigSchema = z.object({
  NODE_ENV: envNodeEnv().default('development'),
  PORT: envPort().default(3000),
  LOG_LEVEL: envLogLevel().default('info'),
  LOG_PRETTY: envBoolean().default(false),
  RABBITMQ_URL: envUrl(['amqp', 'amqps']).default(
    'amqp://guest:guest@127.0.0.1:5672',
  ),
  REDIS_URL: envUrl(['redis', 'rediss']).default('redis://127.0.0.1:6379'),
  API_GATEWAY_DATABASE_URL: envUrl(['postgresql', 'postgres']).default(
    'postgresql://postgres@127.0.0.1:5432/crm_api_gateway',
  ),
  SHUTDOWN_TIMEOUT_MS: envDurationMs().default(10_000),
});

/** The validated config, injectable by type: `constructor(private readonly config: AppConfig)`. */
export class AppConfig extends TypedConfig(appConfigSchema) {}
