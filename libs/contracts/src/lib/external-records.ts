import { z } from 'zod';
import { ERROR_CODES } from './errors';

/**
 * Records keyed by an outside system's ids (ERP loads through the integration gateway): the
 * shapes every owning service's `*.upsert-external` / `*.delete-external` commands share.
 *
 * A batch is up to 1,000 items, applied set-based by the owning service (one statement per step,
 * keyed by tenant, system and external id). Each item succeeds or fails alone: `record` is loosely
 * typed here so that one bad row never fails the message; the service validates each record as
 * its single create or update would and reports the failure in that item's result.
 */

/** The outside system whose ids the items carry, e.g. `sap-prod` (the key is tenant + system + external id). */
export const externalSystemSchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/i, 'letters, digits, ".", "_" and "-", at most 64');
/** The outside system's own id of a record. */
export const externalIdSchema = z.string().trim().min(1).max(200);
export const EXTERNAL_BATCH_MAX = 1_000;

export const EXTERNAL_OUTCOMES = ['created', 'updated', 'unchanged', 'deleted', 'failed'] as const;
export type ExternalOutcome = (typeof EXTERNAL_OUTCOMES)[number];

/** An item: the external id, the line of the uploaded file it came from (echoed back), and the record's fields. */
export const externalItemSchema = z.object({
  externalId: externalIdSchema,
  line: z.number().int().positive().optional(),
  /** The fields to write (the API's names). Present fields are written, absent ones kept; a new record needs what its create needs. */
  record: z.record(z.string(), z.unknown()),
});
export type ExternalItem = z.infer<typeof externalItemSchema>;

export const externalUpsertRequestSchema = z.object({
  system: externalSystemSchema,
  /**
   * Fields the CRM owns for this tenant (field ownership): written when the record is created,
   * never when it is updated; an incoming value that differs from the CRM's is reported in the
   * item's `conflicts` (and the rest of the record is applied).
   */
  crmOwnedFields: z.array(z.string().min(1).max(100)).max(100).default([]),
  items: z.array(externalItemSchema).min(1).max(EXTERNAL_BATCH_MAX),
});

export const externalDeleteRequestSchema = z.object({
  system: externalSystemSchema,
  items: z.array(externalItemSchema.omit({ record: true })).min(1).max(EXTERNAL_BATCH_MAX),
});

export const externalItemResultSchema = z.object({
  externalId: z.string(),
  line: z.number().int().optional(),
  outcome: z.enum(EXTERNAL_OUTCOMES),
  /** The CRM record's id (absent when the item failed before one existed). */
  id: z.string().optional(),
  /** Why the item failed: a stable code, a message, and the invalid fields (their path in `record`). */
  error: z
    .object({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      fields: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    })
    .optional(),
  /** CRM-owned fields the item tried to change: kept, not applied. */
  conflicts: z.array(z.object({ field: z.string(), incoming: z.unknown() })).optional(),
});
export type ExternalItemResult = z.infer<typeof externalItemResultSchema>;

/** Results in request order, one per item. */
export const externalResultsSchema = z.object({ results: z.array(externalItemResultSchema) });

/** A record looked up by its external id. */
export const externalLookupRequestSchema = z.object({ system: externalSystemSchema, externalId: externalIdSchema });
/** External ids to CRM ids (those not known are absent). */
export const externalResolveRequestSchema = z.object({ system: externalSystemSchema, externalIds: z.array(externalIdSchema).min(1).max(EXTERNAL_BATCH_MAX) });
export const externalResolveResponseSchema = z.object({ ids: z.record(z.string(), z.string()) });
