import { TypedConfig, envBoolean, envServiceDatabaseUrl, serviceConfigShape } from '@crm/config';
import { z } from 'zod';

export const SERVICE_NAME = 'contacts';

/** Every environment variable the contacts service reads; defaults suit a local run from source. */
/** Signs list cursors when no secret is configured: fine for a laptop, refused in production. */
export const DEV_CURSOR_SECRET = 'contacts-dev-cursor-secret-not-for-production';

export const appConfigSchema = z
  .object({
    ...serviceConfigShape(3101),
    CONTACTS_DATABASE_URL: envServiceDatabaseUrl(SERVICE_NAME),
    /** HMAC key of list cursors, the same on every replica; at least 32 characters, required in production. */
    CONTACTS_CURSOR_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),

    // Scheduled jobs (pg-boss, in this service's database).
    /** Whether this replica schedules and runs jobs (every replica may: each job runs once across them). */
    CONTACTS_JOBS_ENABLED: envBoolean().default(true),
    /** The Postgres schema of pg-boss's tables, next to the service's own. */
    CONTACTS_JOBS_SCHEMA: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case Postgres identifier')
      .default('pgboss'),
    /** How often an idle worker looks for a job, in seconds (at least 0.5). */
    CONTACTS_JOBS_POLL_SECONDS: z.coerce.number().min(0.5, 'must be at least 0.5').default(2),
    /** When soft-deleted contacts past the 30-day restore window are purged (cron, UTC). */
    CONTACTS_PURGE_CRON: z
      .string()
      .trim()
      .regex(/^(\S+\s+){4}\S+$/, 'must be a cron expression of five fields, e.g. 30 3 * * *')
      .default('30 3 * * *'),
  })
  .refine((c) => c.NODE_ENV !== 'production' || c.CONTACTS_CURSOR_SECRET !== undefined, {
    message: 'required when NODE_ENV=production (at least 32 random characters)',
    path: ['CONTACTS_CURSOR_SECRET'],
  });

/** The validated config, injectable by type: `constructor(private readonly config: AppConfig)`. */
export class AppConfig extends TypedConfig(appConfigSchema) {}
