import {
  BULK_JOB_CONTENT_TYPES,
  BULK_JOB_OBJECTS,
  BULK_JOB_OPERATIONS,
  BULK_JOB_STATES,
  type BulkJobView,
  deleteCompaniesByExternalId,
  deleteContactsByExternalId,
  upsertCompaniesByExternalId,
  upsertContactsByExternalId,
  upsertOrdersByExternalId,
  upsertProductsByExternalId,
  type RpcContract,
} from '@crm/contracts';
import type { Selectable } from 'kysely';
import type { ErpScope } from '../erp-auth/erp-client';
import type { BulkJob as BulkJobRow } from '../generated/kysely/database';
import { parseCsv } from './parsers/csv-parser';
import { parseNdjson } from './parsers/ndjson-parser';
import type { RowParser } from './parsers/row-parser';
import { parseVcard } from './parsers/vcard-parser';

export const BULK_OBJECTS = BULK_JOB_OBJECTS;
export type BulkObject = (typeof BULK_OBJECTS)[number];
export const BULK_OPERATIONS = BULK_JOB_OPERATIONS;
export type BulkOperation = (typeof BULK_OPERATIONS)[number];
export const BULK_CONTENT_TYPES = BULK_JOB_CONTENT_TYPES;
export type BulkContentType = (typeof BULK_CONTENT_TYPES)[number];
export type BulkJobState = (typeof BULK_JOB_STATES)[number];
export type BulkJob = BulkJobView;

/** The scope a job of each object needs (to create it, and for every later call on it). */
export const WRITE_SCOPE: Record<BulkObject, ErpScope> = {
  contacts: 'contacts:write',
  companies: 'companies:write',
  products: 'products:write',
  orders: 'orders:write',
};

/** The owning service's commands each object's rows go through (delete only where the service has one). */
export const OBJECT_COMMANDS: Record<BulkObject, { upsert: RpcContract; delete?: RpcContract }> = {
  contacts: { upsert: upsertContactsByExternalId, delete: deleteContactsByExternalId },
  companies: { upsert: upsertCompaniesByExternalId, delete: deleteCompaniesByExternalId },
  products: { upsert: upsertProductsByExternalId },
  orders: { upsert: upsertOrdersByExternalId },
};

export const PARSERS: Record<BulkContentType, RowParser> = {
  'text/csv': parseCsv,
  'application/x-ndjson': parseNdjson,
  'text/vcard': parseVcard,
};

export function toBulkJob(row: Selectable<BulkJobRow>): BulkJob {
  return {
    id: row.id,
    object: row.object as BulkObject,
    operation: row.operation as BulkOperation,
    system: row.system,
    externalIdField: row.external_id_field,
    columnMapping: (row.column_mapping ?? {}) as Record<string, string>,
    contentType: row.content_type as BulkContentType,
    state: row.state as BulkJobState,
    rowsTotal: row.rows_total,
    rowsProcessed: row.rows_processed,
    rowsCreated: row.rows_created,
    rowsUpdated: row.rows_updated,
    rowsUnchanged: row.rows_unchanged,
    rowsFailed: row.rows_failed,
    bytesUploaded: Number(row.bytes_uploaded),
    error: row.error,
    createdAt: row.created_at.toISOString(),
    closedAt: row.closed_at?.toISOString() ?? null,
    completedAt: row.completed_at?.toISOString() ?? null,
  };
}
