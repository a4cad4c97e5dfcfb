import { TypedConfig, envDatabaseUrl, serviceConfigShape } from '@crm/config';
import { z } from 'zod';

export const SERVICE_NAME = 'contacts';

/** Every environment variable the contacts service reads; defaults suit a local run from source. */
export const appConfigSchema = z.object({
  ...serviceConfigShape(3101),
  CONTACTS_DATABASE_URL: envDatabaseUrl('crm_contacts'),
});

/** The validated config, injectable by type: `constructor(private readonly config: AppConfig)`. */
export class AppConfig extends TypedConfig(appConfigSchema) {}
