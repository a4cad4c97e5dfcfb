import { DomainError, ExternalItem, ExternalItemResult, fieldErrorsOf } from '@crm/contracts';
import type { z } from 'zod';

/** One item's failure, with the record's fields named as the caller sent them (`record.<field>`). */
export function failed(item: Pick<ExternalItem, 'externalId' | 'line'>, error: unknown): ExternalItemResult {
  const base = { externalId: item.externalId, ...(item.line !== undefined && { line: item.line }), outcome: 'failed' as const };
  if (!(error instanceof DomainError)) throw error;
  const fields = fieldErrorsOf(error.details).map(({ field, message }) => ({ field: recordPath(field), message }));
  return { ...base, error: { code: error.code, message: error.message, ...(fields.length > 0 && { fields }) } };
}

export function outcome(item: Pick<ExternalItem, 'externalId' | 'line'>, result: Omit<ExternalItemResult, 'externalId' | 'line'>): ExternalItemResult {
  return { externalId: item.externalId, ...(item.line !== undefined && { line: item.line }), ...result };
}

/** A zod failure of an item's record as a DomainError naming `record.<path>`. */
export function invalidRecord(error: z.ZodError): DomainError {
  const errors = error.issues.map((issue) => ({ field: ['record', ...issue.path.map(String)].join('.'), message: issue.message }));
  return new DomainError('VALIDATION_FAILED', errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });
}

/** The services' own paths (`patch.x`, `contacts.3.customFields.x`) as the item's (`record.x`). */
function recordPath(field: string): string {
  if (field.startsWith('record')) return field;
  const stripped = field.replace(/^(patch|contact|company|contacts\.\d+|companies\.\d+)\.?/, '');
  return stripped ? `record.${stripped}` : 'record';
}

/** Later items with an external id seen earlier in the batch fail alone: one batch states each record once. */
export function repeatedInBatch<T extends { externalId: string }>(items: readonly T[]): Set<number> {
  const seen = new Set<string>();
  const repeated = new Set<number>();
  items.forEach((item, index) => {
    if (seen.has(item.externalId)) repeated.add(index);
    seen.add(item.externalId);
  });
  return repeated;
}

export const REPEATED = (externalId: string) => new DomainError('CONFLICT', `external id ${externalId} appears more than once in this batch; send each record once`);

/** One named field's problem as a VALIDATION_FAILED error. */
export function fieldError(field: string, message: string): DomainError {
  return new DomainError('VALIDATION_FAILED', `${field}: ${message}`, { errors: [{ field, message }] });
}

/** A service's own issues of a batch (`<list>.<i>.<path>`) as one item's error (`record.<path>`), or undefined when it has none. */
export function itemIssues(issues: readonly { path: string; message: string }[], list: string, index: number): DomainError | undefined {
  const prefix = `${list}.${index}.`;
  const errors = issues.filter((issue) => issue.path.startsWith(prefix)).map((issue) => ({ field: `record.${issue.path.slice(prefix.length)}`, message: issue.message }));
  if (errors.length === 0) return undefined;
  return new DomainError('VALIDATION_FAILED', errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });
}
