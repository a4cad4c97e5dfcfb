import { TypedConfig, envDatabaseUrl, serviceConfigShape } from '@crm/config';
import { z } from 'zod';

export const SERVICE_NAME = 'contacts';

/** Every environment variable the contacts service reads; defaults suit a local run from source. */
/** Signs list cursors when no secret is configured: fine for a laptop, refused in production. */
export const DEV_CURSOR_SECRET = 'contacts-dev-cursor-secret-not-for-production';

export const appConfigSchema = z
  .object({
    ...serviceConfigShape(3101),
    CONTACTS_DATABASE_URL: envDatabaseUrl('crm_contacts'),
    /** HMAC key of list cursors, the same on every replica; at least 32 characters, required in production. */
    CONTACTS_CURSOR_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  })
  .refine((c) => c.NODE_ENV !== 'production' || c.CONTACTS_CURSOR_SECRET !== undefined, {
    message: 'required when NODE_ENV=production (at least 32 random characters)',
    path: ['CONTACTS_CURSOR_SECRET'],
  });

/** The validated config, injectable by type: `constructor(private readonly config: AppConfig)`. */
export class AppConfig extends TypedConfig(appConfigSchema) {}
