import { TypedConfig, envBoolean, envServiceDatabaseUrl, serviceConfigShape } from '@crm/config';
import { z } from 'zod';

export const SERVICE_NAME = 'sales-automation';

/** Signs list cursors when no secret is configured: fine for a laptop, refused in production. */
/** Signs unsubscribe links when no secret is configured: fine for a laptop, refused in production. */
export const DEV_UNSUBSCRIBE_SECRET = 'sales-automation-dev-unsubscribe-secret-not-for-production';

export const DEV_CURSOR_SECRET = 'sales-automation-dev-cursor-secret-not-for-production';

/** Every environment variable the sales-automation service reads; defaults suit a local run from source. */
export const appConfigSchema = z
  .object({
    ...serviceConfigShape(3103),
    SALES_AUTOMATION_DATABASE_URL: envServiceDatabaseUrl(SERVICE_NAME),
    /** HMAC key of list cursors, the same on every replica; at least 32 characters, required in production. */
    SALES_AUTOMATION_CURSOR_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),

    // Scheduled jobs (pg-boss, in this service's database): task reminders.
    /** Whether this replica schedules and runs jobs (every replica may: each job runs once across them). */
    SALES_AUTOMATION_JOBS_ENABLED: envBoolean().default(true),
    /** The Postgres schema of pg-boss's tables, next to the service's own. */
    SALES_AUTOMATION_JOBS_SCHEMA: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case Postgres identifier')
      .default('pgboss'),
    /** How often an idle worker looks for a job, in seconds (at least 0.5). */
    SALES_AUTOMATION_JOBS_POLL_SECONDS: z.coerce.number().min(0.5, 'must be at least 0.5').default(2),
    /** When due task reminders are published (cron, UTC): every minute by default. */
    SALES_AUTOMATION_TASK_REMINDER_CRON: z
      .string()
      .trim()
      .regex(/^(\S+\s+){4}\S+$/, 'must be a cron expression of five fields, e.g. * * * * *')
      .default('* * * * *'),
    /**
     * A file holding milliseconds added to the clock of scheduled work (waits, sends): end-to-end
     * tests move time by weeks with it. Refused in production.
     */
    SALES_AUTOMATION_CLOCK_OFFSET_FILE: z.string().min(1).optional(),

    // Email (issue 14).
    /** The SMTP server mail goes through (smtp:// or smtps://, credentials in the URL); `npm run start:all` starts maildev on 1025 when unset. */
    SALES_AUTOMATION_SMTP_URL: z.url({ protocol: /^smtps?$/, message: 'must be an smtp:// or smtps:// URL' }).default('smtp://127.0.0.1:1025'),
    /** How often each replica looks for due sequence steps, in milliseconds (a new enrolment's first step is taken sooner). */
    SALES_AUTOMATION_SEQUENCE_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
    /** Due enrolments one runner takes at a time (one statement claims them, one sendMany sends their mail). */
    SALES_AUTOMATION_SEQUENCE_BATCH: z.coerce.number().int().min(1).max(5000).default(200),
    /** Batches a replica runs at once. */
    SALES_AUTOMATION_SEQUENCE_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(2),
    /** How long a runner holds the enrolments it took: a crashed runner's are taken again after it. */
    SALES_AUTOMATION_SEQUENCE_LEASE_SECONDS: z.coerce.number().int().min(5).max(3600).default(120),
    /** Pooled SMTP connections per replica. */
    SALES_AUTOMATION_SMTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(100).default(5),
    /** The sender of every message: "Name <address>". */
    SALES_AUTOMATION_MAIL_FROM: z.string().trim().min(3).default('CRM <no-reply@crm.localhost>'),
    /** HMAC key of one-click unsubscribe links, the same on every replica; at least 32 characters, required in production. */
    SALES_AUTOMATION_UNSUBSCRIBE_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    /** The gateway's public URL, which unsubscribe links in mail point at. */
    SALES_AUTOMATION_PUBLIC_BASE_URL: z.url().default('http://localhost:3000'),
  })
  .refine((c) => c.NODE_ENV !== 'production' || c.SALES_AUTOMATION_CURSOR_SECRET !== undefined, {
    message: 'required when NODE_ENV=production (at least 32 random characters)',
    path: ['SALES_AUTOMATION_CURSOR_SECRET'],
  })
  .refine((c) => c.NODE_ENV !== 'production' || c.SALES_AUTOMATION_UNSUBSCRIBE_SECRET !== undefined, {
    message: 'required when NODE_ENV=production (at least 32 random characters)',
    path: ['SALES_AUTOMATION_UNSUBSCRIBE_SECRET'],
  })
  .refine((c) => c.NODE_ENV !== 'production' || c.SALES_AUTOMATION_CLOCK_OFFSET_FILE === undefined, {
    message: 'a moved clock is for tests: not allowed when NODE_ENV=production',
    path: ['SALES_AUTOMATION_CLOCK_OFFSET_FILE'],
  });

/** The validated config, injectable by type: `constructor(private readonly config: AppConfig)`. */
export class AppConfig extends TypedConfig(appConfigSchema) {}
