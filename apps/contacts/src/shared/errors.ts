import { ContractIssue, DomainError } from '@crm/contracts';

/** VALIDATION_FAILED with the same `[{path, message}]` details as a contract violation, so the gateway names the fields. */
export function validationFailed(issues: ContractIssue[]): DomainError {
  return new DomainError('VALIDATION_FAILED', issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
}

/** Missing and another tenant's records answer the same: existence is never revealed. */
export function notFound(entity: string, id: string): DomainError {
  return new DomainError('NOT_FOUND', `${entity} ${id} not found.`);
}

/** `expectedVersion` (If-Match) is not the record's version: someone changed it meanwhile. */
export function checkVersion(expected: number | undefined, actual: number): void {
  if (expected !== undefined && expected !== actual) {
    throw new DomainError('PRECONDITION_FAILED', `The record is at version ${actual}, not ${expected}.`, { currentVersion: actual });
  }
}
