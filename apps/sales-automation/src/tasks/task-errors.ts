import { ContractIssue, DomainError, validationFailed as invalid } from '@crm/contracts';

/** The one VALIDATION_FAILED of the system (`errors: [{ field, message }]`), its message naming the fields for the log. */
export function validationFailed(issues: ContractIssue[]): DomainError {
  return invalid(issues, issues.map((i) => `${i.path}: ${i.message}`).join('; '));
}

/** Missing and another tenant's tasks answer the same: existence is never revealed. */
export function taskNotFound(id: string): DomainError {
  return new DomainError('NOT_FOUND', `task ${id} not found.`);
}

/** `expectedVersion` (If-Match) is not the task's version: someone changed it meanwhile. */
export function checkVersion(expected: number | undefined, actual: number): void {
  if (expected !== undefined && expected !== actual) {
    throw new DomainError('PRECONDITION_FAILED', `The record is at version ${actual}, not ${expected}.`, { currentVersion: actual });
  }
}

export function changedMeanwhile(): DomainError {
  return new DomainError('PRECONDITION_FAILED', 'The task changed meanwhile; read it again.');
}
