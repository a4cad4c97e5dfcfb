import { TypedConfig, envBoolean, envPem, envServiceDatabaseUrl, serviceConfigShape } from '@crm/config';
import { z } from 'zod';

export const SERVICE_NAME = 'integration-gateway';

/** Every environment variable the integration gateway reads; defaults suit a local run from source. */
export const appConfigSchema = z
  .object({
    ...serviceConfigShape(3104),
    INTEGRATION_GATEWAY_DATABASE_URL: envServiceDatabaseUrl(SERVICE_NAME),

    // Its own RS256 pair: it signs ERP clients' access tokens and the call tokens services verify
    // (services pin INTEGRATION_JWT_PUBLIC_KEY or fetch its JWKS at /.well-known/jwks.json).
    /** The private key (PEM); the public one is INTEGRATION_JWT_PUBLIC_KEY. Required in production. */
    INTEGRATION_JWT_PRIVATE_KEY: envPem().optional(),
    /** The `aud` of the access tokens it issues to ERP clients: never the services' audience, so an ERP token is no service call token. */
    ERP_TOKEN_AUDIENCE: z.string().min(1).default('crm-erp'),
    /** Lifetime of an ERP client's access token (client-credentials grant), in seconds. */
    ERP_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(3_600).default(900),
    /** How long a rotated-out secret keeps working by default, in seconds (two secrets may be active). */
    ERP_SECRET_ROTATION_GRACE_SECONDS: z.coerce.number().int().min(0).max(30 * 86_400).default(86_400),

    // Scheduled and background jobs (pg-boss, in this service's database): bulk jobs, webhook deliveries.
    INTEGRATION_GATEWAY_JOBS_ENABLED: envBoolean().default(true),
    INTEGRATION_GATEWAY_JOBS_SCHEMA: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case Postgres identifier')
      .default('pgboss'),
    INTEGRATION_GATEWAY_JOBS_POLL_SECONDS: z.coerce.number().min(0.5, 'must be at least 0.5').default(1),

    // Bulk jobs
    /** The largest upload a bulk job takes (bytes): a declared Content-Length above it is 413 before a byte is read. */
    BULK_UPLOAD_MAX_BYTES: z.coerce.number().int().min(1_024).default(1024 ** 3),
    /** Batches of 1,000 rows a bulk job keeps in flight to the owning service (2-4 keep it busy without flooding it). */
    BULK_JOB_CONCURRENCY: z.coerce.number().int().min(1).max(8).default(3),
    /** A job in progress whose worker gave no sign of life for this long (seconds) is taken over by another (a replica that died). */
    BULK_JOB_STALE_SECONDS: z.coerce.number().int().min(1).default(120),
    /** How long a contacts export's file is kept (seconds): it holds personal data, so it is deleted then. */
    CONTACT_EXPORT_TTL_SECONDS: z.coerce.number().int().min(60).default(86_400),

    // Webhooks
    /** Calls to loopback, private and link-local addresses are refused (SSRF) unless this is true (local development, tests). */
    WEBHOOK_ALLOW_PRIVATE_TARGETS: envBoolean().default(false),
    /** Time limit of one webhook call, in ms. */
    WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
    /** Waits before each retry of a failed delivery, in seconds, comma-separated (about a day in all); then it has failed. Jittered by ±20%. */
    WEBHOOK_RETRY_SCHEDULE_SECONDS: z
      .string()
      .default('5,300,1800,7200,18000,36000,50400')
      .transform((value) => value.split(',').map((s) => Number(s.trim())))
      .pipe(z.array(z.number().min(0).max(7 * 86_400)).min(1).max(30)),
    /** Deliveries in a row that run out of retries before the subscription is disabled. */
    WEBHOOK_DISABLE_AFTER_FAILED_DELIVERIES: z.coerce.number().int().min(1).max(1_000).default(1),
    /** How often the dispatcher looks for due deliveries, in ms (new changes also wake it at once). */
    WEBHOOK_DISPATCH_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1_000),
    /** Deliveries one replica sends at a time. */
    WEBHOOK_DISPATCH_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(10),
  })
  // A generated pair changes at every start and differs per replica: every token breaks. Never in production.
  .refine((c) => c.NODE_ENV !== 'production' || (c.INTEGRATION_JWT_PRIVATE_KEY && c.INTEGRATION_JWT_PUBLIC_KEY), {
    message: 'required when NODE_ENV=production (RS256 key pair, PEM, with INTEGRATION_JWT_PUBLIC_KEY)',
    path: ['INTEGRATION_JWT_PRIVATE_KEY'],
  })
  .refine((c) => !c.INTEGRATION_JWT_PRIVATE_KEY === !c.INTEGRATION_JWT_PUBLIC_KEY, {
    message: 'set both INTEGRATION_JWT_PRIVATE_KEY and INTEGRATION_JWT_PUBLIC_KEY, or neither',
    path: ['INTEGRATION_JWT_PRIVATE_KEY'],
  });

/** The validated config, injectable by type: `constructor(private readonly config: AppConfig)`. */
export class AppConfig extends TypedConfig(appConfigSchema) {}
