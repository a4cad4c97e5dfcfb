import { TypedConfig, envServiceDatabaseUrl, serviceConfigShape } from '@crm/config';
import { z } from 'zod';

export const SERVICE_NAME = 'support-tickets';

/** Every environment variable the support-tickets service reads; defaults suit a local run from source. */
export const appConfigSchema = z.object({
  ...serviceConfigShape(3105),
  SUPPORT_TICKETS_DATABASE_URL: envServiceDatabaseUrl(SERVICE_NAME),
});

/** The validated config, injectable by type: `constructor(private readonly config: AppConfig)`. */
export class AppConfig extends TypedConfig(appConfigSchema) {}
