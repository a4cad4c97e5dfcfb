import { ContractIssue, DomainError, validationFailed as invalid } from '@crm/contracts';

/** Missing and another tenant's tickets answer the same: existence is never revealed. */
export function ticketNotFound(id: string): DomainError {
  return new DomainError('NOT_FOUND', `ticket ${id} not found.`);
}

/** `expectedVersion` (If-Match) is not the record's version (a ticket's unless named): someone changed it meanwhile. */
export function checkVersion(expected: number | undefined, actual: number, record = 'ticket'): void {
  if (expected !== undefined && expected !== actual) {
    throw new DomainError('PRECONDITION_FAILED', `The ${record} is at version ${actual}, not ${expected}.`, { currentVersion: actual });
  }
}

export function ticketChangedMeanwhile(): DomainError {
  return new DomainError('PRECONDITION_FAILED', 'The ticket changed meanwhile; read it again.');
}

export function ticketClosed(id: string): DomainError {
  return new DomainError('CONFLICT', `ticket ${id} is closed: a follow-up is a new ticket.`, { problemCode: 'INVALID_STATUS_TRANSITION' });
}

export function validationFailed(issues: ContractIssue[]): DomainError {
  return invalid(issues, issues.map((i) => `${i.path}: ${i.message}`).join('; '));
}

export function ticketNotMergeable(id: string, why: string): DomainError {
  return new DomainError('CONFLICT', `ticket ${id} cannot be merged: ${why}.`);
}
