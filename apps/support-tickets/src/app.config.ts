import { TypedConfig, envBoolean, envServiceDatabaseUrl, serviceConfigShape } from '@crm/config';
import { z } from 'zod';

export const SERVICE_NAME = 'support-tickets';

export const DEV_CSAT_SECRET = 'support-tickets-dev-csat-secret-not-for-production';

/** Every environment variable the support-tickets service reads; defaults suit a local run from source. */
export const appConfigSchema = z
  .object({
    ...serviceConfigShape(3105),
    SUPPORT_TICKETS_DATABASE_URL: envServiceDatabaseUrl(SERVICE_NAME),
    /** The SMTP server replies go out through (smtp:// or smtps://, credentials in the URL); `npm run start:all` starts maildev on 1025. */
    SUPPORT_TICKETS_SMTP_URL: z.url({ protocol: /^smtps?$/, message: 'must be an smtp:// or smtps:// URL' }).default('smtp://127.0.0.1:1025'),
    /** The service's own SMTP listener for inbound mail (MX or a relay points here); 0 picks a free port (tests), -1 turns it off. */
    SUPPORT_TICKETS_INBOUND_SMTP_PORT: z.coerce.number().int().min(-1).max(65_535).default(2525),
    SUPPORT_TICKETS_INBOUND_SMTP_HOST: z.string().min(1).default('0.0.0.0'),
    /** The largest inbound message taken, in bytes (SMTP SIZE and the raw-message route); larger is refused with a clear reply. */
    SUPPORT_TICKETS_INBOUND_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1_024)
      .default(10 * 1024 * 1024),
    SUPPORT_TICKETS_INBOUND_MAX_ATTACHMENTS: z.coerce.number().int().min(0).max(1_000).default(20),
    /** Where attachment bytes are kept: a directory (`filesystem`, a volume in production) or an S3-compatible bucket (`s3`). */
    SUPPORT_TICKETS_ATTACHMENTS_STORE: z.enum(['filesystem', 's3']).default('filesystem'),
    /** The directory attachments are kept in (the filesystem storage). */
    SUPPORT_TICKETS_ATTACHMENTS_DIR: z.string().min(1).default('var/support-tickets/attachments'),
    /** The S3 storage: the bucket (required with `s3`), its region, and for an S3-compatible store (MinIO, Ceph, R2) its endpoint. */
    SUPPORT_TICKETS_S3_BUCKET: z.string().min(3).max(63).optional(),
    SUPPORT_TICKETS_S3_REGION: z.string().min(1).default('us-east-1'),
    SUPPORT_TICKETS_S3_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
    /** Bucket in the path (http://host/bucket/key) rather than the host name: what most S3-compatible stores need. */
    SUPPORT_TICKETS_S3_FORCE_PATH_STYLE: envBoolean().default(false),
    /** Keys of the store; unset: the AWS SDK's default chain (instance role, AWS_* variables). */
    SUPPORT_TICKETS_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
    SUPPORT_TICKETS_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    /** How long a download link to an attachment in S3 works, in seconds. */
    SUPPORT_TICKETS_S3_LINK_SECONDS: z.coerce.number().int().min(10).max(3_600).default(300),
    // Durable jobs (pg-boss, in this service's database) and the SLA timers.
    /** Whether this replica runs jobs and SLA timers (every replica may: each timer fires once across them). */
    SUPPORT_TICKETS_JOBS_ENABLED: envBoolean().default(true),
    /** The Postgres schema of pg-boss's tables, next to the service's own. */
    SUPPORT_TICKETS_JOBS_SCHEMA: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case Postgres identifier')
      .default('pgboss'),
    SUPPORT_TICKETS_JOBS_POLL_SECONDS: z.coerce.number().min(0.5, 'must be at least 0.5').default(2),
    /** How often each replica looks for SLA warnings and breaches that are due, in ms (their lateness is about this). */
    SUPPORT_TICKETS_SLA_POLL_MS: z.coerce.number().int().min(50).default(2_000),
    /** SLA timers claimed per batch. */
    SUPPORT_TICKETS_SLA_BATCH: z.coerce.number().int().min(1).max(5_000).default(500),
    /** How often the mail sender looks for replies to send, in ms. */
    SUPPORT_TICKETS_MAIL_POLL_MS: z.coerce.number().int().min(50).default(1_000),
    /** The customer portal's sign-in page: a sign-in link is `<this>?token=...`. */
    SUPPORT_TICKETS_PORTAL_URL: z.url({ protocol: /^https?$/ }).default('http://localhost:4200/portal/sign-in'),
    /** The sender of portal sign-in links when the tenant has no support mailbox. */
    SUPPORT_TICKETS_PORTAL_MAIL_FROM: z.email().default('no-reply@crm.localhost'),
    /** How long a portal sign-in link works, in minutes. */
    SUPPORT_TICKETS_PORTAL_LINK_MINUTES: z.coerce.number().int().min(1).max(1_440).default(15),
    /** Signs the CSAT rating links in solved tickets' emails (HMAC-SHA256); required in production. */
    SUPPORT_TICKETS_CSAT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    /** The gateway's public URL, which rating links point at. */
    SUPPORT_TICKETS_PUBLIC_BASE_URL: z.url().default('http://localhost:3000'),
  })
  .refine((c) => c.NODE_ENV !== 'production' || c.SUPPORT_TICKETS_CSAT_SECRET !== undefined, {
    message: 'required when NODE_ENV=production (at least 32 random characters)',
    path: ['SUPPORT_TICKETS_CSAT_SECRET'],
  })
  .refine((c) => c.SUPPORT_TICKETS_ATTACHMENTS_STORE !== 's3' || c.SUPPORT_TICKETS_S3_BUCKET !== undefined, {
    message: 'required when SUPPORT_TICKETS_ATTACHMENTS_STORE=s3',
    path: ['SUPPORT_TICKETS_S3_BUCKET'],
  })
  .refine((c) => (c.SUPPORT_TICKETS_S3_ACCESS_KEY_ID === undefined) === (c.SUPPORT_TICKETS_S3_SECRET_ACCESS_KEY === undefined), {
    message: 'set both keys, or neither (the default credential chain)',
    path: ['SUPPORT_TICKETS_S3_SECRET_ACCESS_KEY'],
  });

/** The validated config, injectable by type: `constructor(private readonly config: AppConfig)`. */
export class AppConfig extends TypedConfig(appConfigSchema) {}
