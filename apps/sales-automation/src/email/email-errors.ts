import { ContractIssue, DomainError, validationFailed as invalid } from '@crm/contracts';

export function validationFailed(issues: ContractIssue[]): DomainError {
  return invalid(issues, issues.map((i) => `${i.path}: ${i.message}`).join('; '));
}

/** Missing and another tenant's templates answer the same: existence is never revealed. */
export function templateNotFound(id: string): DomainError {
  return new DomainError('NOT_FOUND', `email template ${id} not found.`);
}

export function contactNotFound(id: string): DomainError {
  return new DomainError('NOT_FOUND', `contact ${id} not found.`);
}

export function checkVersion(expected: number | undefined, actual: number): void {
  if (expected !== undefined && expected !== actual) {
    throw new DomainError('PRECONDITION_FAILED', `The record is at version ${actual}, not ${expected}.`, { currentVersion: actual });
  }
}

export function changedMeanwhile(): DomainError {
  return new DomainError('PRECONDITION_FAILED', 'The template changed meanwhile; read it again.');
}

/** A link whose signature does not hold (tampered, another secret, cut short): the same answer for every cause. */
export function badUnsubscribeToken(): DomainError {
  return invalid([{ path: 'token', message: 'is not a valid unsubscribe link' }], 'token: is not a valid unsubscribe link');
}
