import { DomainError, ExternalItemResult, validationFailed } from '@crm/contracts';

/** A failed item as the error it is: VALIDATION_FAILED naming the record's fields (400), else its own code (404, 409...). */
export function itemError(result: ExternalItemResult): DomainError {
  const error = result.error ?? { code: 'INTERNAL' as const, message: 'The item failed.' };
  if (error.code === 'VALIDATION_FAILED')
    return validationFailed(
      (error.fields ?? []).map((f) => ({ path: f.field, message: f.message })),
      error.message,
    );
  return new DomainError(error.code, error.message);
}

/** The one result of a one-item batch (a reply of another length breaks the contract). */
export function onlyResult(results: readonly ExternalItemResult[]): ExternalItemResult {
  if (results.length !== 1) throw new DomainError('INTERNAL', `expected one result, got ${results.length}`);
  return results[0];
}
