import { ContractIssue, DomainError, validationFailed as invalid } from '@crm/contracts';

/** The one VALIDATION_FAILED of the system (`errors: [{ field, message }]`), its message naming the fields for the log. */
export function validationFailed(issues: ContractIssue[]): DomainError {
  return invalid(issues, issues.map((i) => `${i.path}: ${i.message}`).join('; '));
}

/** Missing and another tenant's rules answer the same: existence is never revealed. */
export function ruleNotFound(id: string): DomainError {
  return new DomainError('NOT_FOUND', `workflow rule ${id} not found.`);
}

/** `expectedVersion` (If-Match) is not the rule's version: someone changed it meanwhile. */
export function checkVersion(expected: number | undefined, actual: number): void {
  if (expected !== undefined && expected !== actual) {
    throw new DomainError('PRECONDITION_FAILED', `The record is at version ${actual}, not ${expected}.`, { currentVersion: actual });
  }
}

export function changedMeanwhile(): DomainError {
  return new DomainError('PRECONDITION_FAILED', 'The workflow rule changed meanwhile; read it again.');
}

/**
 * Why a run or one of its steps failed or was skipped, with a stable code recorded on the run
 * (never thrown out of a worker): CONDITION_FIELD_MISSING, DEPTH_LIMIT, PORT_UNAVAILABLE,
 * NOT_SUPPORTED, NO_CONTACT, NO_RECORD, and the domain error codes of the features a step calls.
 */
export class RunError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
