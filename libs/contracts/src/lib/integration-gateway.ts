import { z } from 'zod';
import { defineEvent } from './define';
import { diagnosticsEcho } from './diagnostics';

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

// ---------------------------------------------------------------------------------------------
// Process sync: field ownership, sales orders requested of the ERP, the sync log
