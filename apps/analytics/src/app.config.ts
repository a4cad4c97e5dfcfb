import { TypedConfig, envServiceDatabaseUrl, serviceConfigShape } from '@crm/config';
import { z } from 'zod';

export const SERVICE_NAME = 'analytics';

/** Every environment variable the analytics service reads; defaults suit a local run from source. */
export const appConfigSchema = z.object({
  ...serviceConfigShape(3102),
  ANALYTICS_DATABASE_URL: envServiceDatabaseUrl(SERVICE_NAME),
});

/** The validated config, injectable by type: `constructor(private readonly config: AppConfig)`. */
export class AppConfig extends TypedConfig(appConfigSchema) {}
