import { z } from 'zod';
import { pageOf, pageRequestSchema } from './contacts';
import { defineCommand, defineEvent, defineQuery } from './define';
import { diagnosticsEcho } from './diagnostics';
import { externalSystemSchema } from './external-records';
import { personal } from './personal-data';
import { dealLineSchema } from './sales-automation';

/**
 * Messages of the integration gateway (the ERP-facing door): what the API gateway asks of it for
 * tenant admins (API clients, field ownership, the sync log) and the events it publishes. Named
 * `integration-gateway.<entity>.<action>`, defined once here (defineCommand / defineQuery /
 * defineEvent from './define').
 */

/** The diagnostics echo every service answers (probes, benchmarks). */
export const integrationGatewayEcho = diagnosticsEcho('integration-gateway');

// ---------------------------------------------------------------------------------------------
// API clients (machine credentials): created, rotated and revoked by tenant admins through the
// API gateway (/api/v1/integrations/clients).

const apiClientId = z.uuid();
const apiClientVersion = z.number().int().positive();
const apiClientTimestamp = z.iso.datetime({ offset: true });

/**
 * A scope such as `contacts:write` (`<object>:<access>`): the integration gateway knows the valid
 * ones (ERP_SCOPES there) and refuses others with VALIDATION_FAILED naming the field.
 */
export const apiClientScopeSchema = z.string().regex(/^[a-z][a-z-]{0,39}:[a-z]{1,20}$/, 'a scope such as contacts:write');

export const apiClientInputSchema = z.object({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(apiClientScopeSchema).min(1).max(30),
});
export type ApiClientInput = z.infer<typeof apiClientInputSchema>;

/** A secret as lists show it: never the secret itself, only its last characters. */
export const apiClientSecretInfoSchema = z.object({
  id: z.uuid(),
  /** The secret's last 4 characters, to tell secrets apart. */
  hint: z.string(),
  createdAt: apiClientTimestamp,
  /** When a rotated-out secret stops working (null: until the next rotation). */
  expiresAt: apiClientTimestamp.nullable(),
});

export const apiClientSchema = z.object({
  id: apiClientId,
  name: z.string(),
  scopes: z.array(z.string()),
  /** The admin who created it. */
  createdBy: z.string(),
  version: apiClientVersion,
  createdAt: apiClientTimestamp,
  updatedAt: apiClientTimestamp,
  lastUsedAt: apiClientTimestamp.nullable(),
  revokedAt: apiClientTimestamp.nullable(),
  /** The secrets that work now (two during a rotation's grace period). */
  secrets: z.array(apiClientSecretInfoSchema),
});
export type ApiClient = z.infer<typeof apiClientSchema>;

/** The create and rotate replies: the client and its new secret, shown this once (only its hash is stored). */
export const apiClientWithSecretSchema = apiClientSchema.extend({
  /** `crm_sk_` and 43 base64url characters (32 random bytes). The OAuth client_secret; the client_id is `id`. */
  secret: z.string(),
});

export const createApiClient = defineCommand('integration-gateway.api-client.create', 1, {
  request: z.object({ client: apiClientInputSchema }),
  response: apiClientWithSecretSchema,
});
/** Newest first; revoked clients included (revokedAt set). */
export const listApiClients = defineQuery('integration-gateway.api-client.list', 1, {
  request: pageRequestSchema,
  response: pageOf(apiClientSchema),
});
export const getApiClient = defineQuery('integration-gateway.api-client.get', 1, {
  request: z.object({ id: apiClientId }),
  response: apiClientSchema,
});
/** Name and scopes; PRECONDITION_FAILED when `expectedVersion` (If-Match) is not current. A revoked client is NOT_FOUND. */
export const updateApiClient = defineCommand('integration-gateway.api-client.update', 1, {
  request: z.object({ id: apiClientId, expectedVersion: apiClientVersion.optional(), patch: apiClientInputSchema.partial() }),
  response: apiClientSchema,
});
/**
 * A new secret; the previous ones keep working for `graceSeconds` (default
 * ERP_SECRET_ROTATION_GRACE_SECONDS; 0 ends them now), so two are active during a rotation.
 */
export const rotateApiClientSecret = defineCommand('integration-gateway.api-client.rotate-secret', 1, {
  request: z.object({
    id: apiClientId,
    expectedVersion: apiClientVersion.optional(),
    graceSeconds: z
      .number()
      .int()
      .min(0)
      .max(30 * 86_400)
      .optional(),
  }),
  response: apiClientWithSecretSchema,
});
/** Ends the client: its secrets and its live access tokens stop working at once. */
export const revokeApiClient = defineCommand('integration-gateway.api-client.revoke', 1, {
  request: z.object({ id: apiClientId, expectedVersion: apiClientVersion.optional() }),
  response: z.object({ id: apiClientId, revoked: z.literal(true) }),
});

/** Events carry the client as lists show it: never a secret nor its hash. */
export const apiClientCreated = defineEvent('integration-gateway.api-client.created', 1, z.object({ client: apiClientSchema }));
export const apiClientUpdated = defineEvent('integration-gateway.api-client.updated', 1, z.object({ client: apiClientSchema, changed: z.array(z.string()) }));
export const apiClientSecretRotated = defineEvent('integration-gateway.api-client.secret-rotated', 1, z.object({ client: apiClientSchema }));
export const apiClientRevoked = defineEvent('integration-gateway.api-client.revoked', 1, z.object({ clientId: apiClientId, revokedAt: apiClientTimestamp }));

// ---------------------------------------------------------------------------------------------
// Bulk jobs

export const BULK_JOB_OBJECTS = ['contacts', 'companies', 'products', 'orders'] as const;
export const BULK_JOB_OPERATIONS = ['upsert', 'delete'] as const;
export const BULK_JOB_CONTENT_TYPES = ['text/csv', 'application/x-ndjson', 'text/vcard'] as const;
/**
 * open: taking uploads; upload_complete: closed, waiting for a worker; in_progress: rows being
 * applied; job_complete: every row has its result; failed: the job as a whole could not run (a
 * bad row never fails it); aborted: by its client.
 */
export const BULK_JOB_STATES = ['open', 'upload_complete', 'in_progress', 'job_complete', 'failed', 'aborted'] as const;

/** A bulk job of an ERP client (`/erp/v1/jobs`): what it loads, its state and progress counters. */
export const bulkJobSchema = z.object({
  id: z.uuid(),
  object: z.enum(BULK_JOB_OBJECTS),
  operation: z.enum(BULK_JOB_OPERATIONS),
  /** The ERP system whose ids the rows carry. */
  system: z.string(),
  /** The column (CSV), property (NDJSON) or vCard property holding each row's external id. */
  externalIdField: z.string(),
  /** Upload column → the object's field (dotted paths for nested fields); absent columns keep their names. */
  columnMapping: z.record(z.string(), z.string()),
  contentType: z.enum(BULK_JOB_CONTENT_TYPES),
  state: z.enum(BULK_JOB_STATES),
  rowsTotal: z.number().int(),
  rowsProcessed: z.number().int(),
  rowsCreated: z.number().int(),
  /** Updated, or deleted by a delete job. */
  rowsUpdated: z.number().int(),
  rowsUnchanged: z.number().int(),
  rowsFailed: z.number().int(),
  bytesUploaded: z.number().int(),
  /** Why the job as a whole failed or stalled (rows fail alone: see its results). */
  error: z.string().nullable(),
  createdAt: z.iso.datetime({ offset: true }),
  closedAt: z.iso.datetime({ offset: true }).nullable(),
  completedAt: z.iso.datetime({ offset: true }).nullable(),
});
export type BulkJobView = z.infer<typeof bulkJobSchema>;

/** Every row of the job has its result (job_complete), or the job failed as a whole (failed): no personal data, counters only. */
export const bulkJobFinished = defineEvent('integration-gateway.bulk-job.finished', 1, z.object({ job: bulkJobSchema, clientId: z.string() }));

// ---------------------------------------------------------------------------------------------
// Webhooks

/**
 * A webhook subscription was switched off after deliveries to it kept failing (its retry schedule
 * ran out): tenant admins are told, and the ERP's owner re-enables it once its endpoint works.
 */
export const integrationGatewayWebhookDisabled = defineEvent(
  'integration-gateway.webhook.disabled',
  1,
  z.object({
    subscriptionId: z.uuid(),
    clientId: z.uuid(),
    url: z.string(),
    reason: z.string(),
    failedInARow: z.number().int().nonnegative(),
    disabledAt: z.iso.datetime({ offset: true }),
  }),
);

// ---------------------------------------------------------------------------------------------
// Process sync: field ownership, sales orders requested of the ERP, the sync log

/** The records an ERP syncs, by their API name (also the sync log's `object`). */
export const SYNC_OBJECTS = ['contacts', 'companies', 'products', 'orders', 'deals'] as const;
export type SyncObject = (typeof SYNC_OBJECTS)[number];
export const FIELD_OWNERS = ['crm', 'erp'] as const;

const syncObjectSchema = z.enum(SYNC_OBJECTS);
const igTimestamp = z.iso.datetime();
const igId = z.uuid();
/** A field by its API name (`phone`, `billingAddress.city`). */
const fieldNameSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$/, 'a field name such as phone or billingAddress.city')
  .max(100);

/**
 * Which side owns each field of an object in this tenant. A CRM-owned field is written by an ERP
 * upsert only when the record is created; afterwards an incoming value that differs is a conflict,
 * kept in the sync log and not applied. Fields not listed are owned by the ERP (last writer wins).
 */
export const fieldOwnershipSchema = z.object({
  object: syncObjectSchema,
  fields: z.array(z.object({ field: fieldNameSchema, owner: z.enum(FIELD_OWNERS) })),
});
export type FieldOwnership = z.infer<typeof fieldOwnershipSchema>;

export const getFieldOwnership = defineQuery('integration-gateway.field-ownership.get', 1, {
  request: z.object({ object: syncObjectSchema }),
  response: fieldOwnershipSchema,
});
/** Replaces the object's map (fields left out fall back to the ERP). A field named twice is VALIDATION_FAILED. */
export const setFieldOwnership = defineCommand('integration-gateway.field-ownership.set', 1, {
  request: z.object({
    object: syncObjectSchema,
    fields: z
      .array(z.object({ field: fieldNameSchema, owner: z.enum(FIELD_OWNERS) }))
      .max(200)
      .refine((fields) => new Set(fields.map((f) => f.field)).size === fields.length, 'a field is named twice'),
  }),
  response: fieldOwnershipSchema,
});
export const fieldOwnershipChanged = defineEvent('integration-gateway.field-ownership.changed', 1, fieldOwnershipSchema);

export const SYNC_DIRECTIONS = ['inbound', 'outbound'] as const;
/** One line of the sync log. `detail` holds conflicts (the CRM-owned fields and their incoming values) or delivery facts. */
export const syncLogEntrySchema = z.object({
  id: z.string(),
  clientId: z.string().nullable(),
  direction: z.enum(SYNC_DIRECTIONS),
  object: z.string(),
  system: z.string().nullable(),
  externalId: z.string().nullable(),
  recordId: z.string().nullable(),
  operation: z.string(),
  status: z.string(),
  detail: personal(z.record(z.string(), z.unknown()).nullable()),
  error: z.string().nullable(),
  createdAt: igTimestamp,
});
export type SyncLogEntry = z.infer<typeof syncLogEntrySchema>;
export const syncLogFilterSchema = z.object({
  recordId: z.string().trim().min(1).max(200).optional(),
  externalId: z.string().trim().min(1).max(200).optional(),
  system: externalSystemSchema.optional(),
  object: z.string().trim().min(1).max(50).optional(),
  status: z.string().trim().min(1).max(50).optional(),
  direction: z.enum(SYNC_DIRECTIONS).optional(),
  clientId: igId.optional(),
});
/** Newest first. */
export const listSyncLog = defineQuery('integration-gateway.sync-log.list', 1, {
  request: pageRequestSchema.extend({ filter: syncLogFilterSchema.default({}) }),
  response: pageOf(syncLogEntrySchema),
});

/**
 * A deal was won in the CRM: the ERP is asked to create its sales order (change feed and
 * webhooks). The ERP acknowledges with its order number (POST /erp/v1/deals/{id}/erp-order), which
 * lands on the deal (`sales-automation.deal.updated.v1`, changed `erpOrder`).
 */
export const salesOrderRequested = defineEvent(
  'integration-gateway.sales-order.requested',
  1,
  z.object({
    dealId: igId,
    title: personal(z.string()),
    contactId: igId.nullable(),
    companyId: igId.nullable(),
    ownerId: z.string().nullable(),
    amountMinor: z.number().int(),
    currency: z.string(),
    lines: z.array(dealLineSchema),
    wonAt: igTimestamp.nullable(),
    requestedAt: igTimestamp,
  }),
);
