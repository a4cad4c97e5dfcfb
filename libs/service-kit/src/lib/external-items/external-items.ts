import { ContractIssue, DomainError, ErrorCode, ExternalItem, ExternalItemResult, fieldErrorsOf } from '@crm/contracts';
import { RemoteError } from '@crm/messaging';

/*
 * The items of an upsert or delete by external id (a bulk job's batch, or one PUT) and their
 * results, as every owning service builds them: the same outcomes, codes and field paths whatever
 * the object.
 */

/** The start of an item's result: its external id and line, echoed back. */
export function resultOf(item: Pick<ExternalItem, 'externalId' | 'line'>): Pick<ExternalItemResult, 'externalId' | 'line'> {
  return item.line === undefined ? { externalId: item.externalId } : { externalId: item.externalId, line: item.line };
}

/** The item failed: a stable code, a message, and the fields (their path in the item, e.g. `record.sku`). */
export function failedItem(
  item: Pick<ExternalItem, 'externalId' | 'line'>,
  code: ErrorCode,
  message: string,
  fields?: { field: string; message: string }[],
  id?: string,
): ExternalItemResult {
  return { ...resultOf(item), outcome: 'failed', ...(id && { id }), error: { code, message, ...(fields?.length && { fields }) } };
}

/** VALIDATION_FAILED naming each invalid field under `record.`. */
export function invalidItem(item: Pick<ExternalItem, 'externalId' | 'line'>, issues: ContractIssue[], id?: string): ExternalItemResult {
  // One entry per field (a value can break several rules of one field: the first one says it).
  const byField = new Map<string, string>();
  for (const issue of issues) {
    const field = issue.path ? `record.${issue.path}` : 'record';
    if (!byField.has(field)) byField.set(field, issue.message);
  }
  const fields = [...byField].map(([field, message]) => ({ field, message }));
  return failedItem(item, 'VALIDATION_FAILED', fields.map((f) => `${f.field}: ${f.message}`).join('; '), fields, id);
}

/**
 * A use case's error as the item's failure (its fields re-rooted under `record.` when they name the
 * single command's body, e.g. `order.lines.0.productId` → `record.lines.0.productId`). Anything
 * else than a domain error is not the item's fault: rethrown (the batch fails, the caller retries).
 */
export function itemFailure(item: Pick<ExternalItem, 'externalId' | 'line'>, error: unknown, bodyRoot: string, id?: string): ExternalItemResult {
  if (!(error instanceof DomainError) && !(error instanceof RemoteError)) throw error;
  const details = error.details as { errors?: { field: string; message: string }[] } | undefined;
  const fields = (error.code === 'VALIDATION_FAILED' ? fieldErrorsOf(details) : (details?.errors ?? [])).map((f) => ({
    field: `record.${f.field.startsWith(`${bodyRoot}.`) ? f.field.slice(bodyRoot.length + 1) : f.field}`,
    message: f.message,
  }));
  return failedItem(item, error.code as ErrorCode, error.message, fields, id);
}

/** Why an item fails whose external id came earlier in the batch (a batch says once what a record becomes), the same for every object. */
export const REPEATED_EXTERNAL_ID = { field: 'externalId', message: 'appears earlier in the batch' } as const;

/** The indexes of the items whose external id came earlier in the batch. */
export function repeatedIndexes(items: readonly Pick<ExternalItem, 'externalId'>[]): Set<number> {
  const seen = new Set<string>();
  const repeated = new Set<number>();
  items.forEach((item, index) => {
    if (seen.has(item.externalId)) repeated.add(index);
    seen.add(item.externalId);
  });
  return repeated;
}

/** Items whose external id came earlier in the batch fail, VALIDATION_FAILED naming `externalId`. */
export function firstOccurrences<T extends Pick<ExternalItem, 'externalId' | 'line'>>(
  items: readonly T[],
): { unique: Map<number, T>; repeated: Map<number, ExternalItemResult> } {
  const repeatedAt = repeatedIndexes(items);
  const unique = new Map<number, T>();
  const repeated = new Map<number, ExternalItemResult>();
  items.forEach((item, index) => {
    if (repeatedAt.has(index)) {
      repeated.set(index, failedItem(item, 'VALIDATION_FAILED', `externalId: ${REPEATED_EXTERNAL_ID.message}`, [REPEATED_EXTERNAL_ID]));
    } else {
      unique.set(index, item);
    }
  });
  return { unique, repeated };
}

const WHOLE_NUMBER = /^-?\d{1,16}$/;
const BOOLEANS: Record<string, boolean> = { true: true, false: false, TRUE: true, FALSE: false, '1': true, '0': false };

/**
 * A CSV row's cells are text (a bulk job cannot know types): the named fields' whole numbers and
 * booleans are read from their text ("149", "true"), anything else is left as it is for validation
 * to refuse, naming the field. NDJSON and single upserts send typed values, unchanged here.
 */
export function typedCells(record: Record<string, unknown>, numbers: readonly string[], booleans: readonly string[] = []): Record<string, unknown> {
  const typed: Record<string, unknown> = { ...record };
  for (const field of numbers) {
    const value = typed[field];
    if (typeof value === 'string' && WHOLE_NUMBER.test(value.trim())) typed[field] = Number(value.trim());
  }
  for (const field of booleans) {
    const value = typed[field];
    if (typeof value === 'string' && value.trim() in BOOLEANS) typed[field] = BOOLEANS[value.trim()];
  }
  return typed;
}
