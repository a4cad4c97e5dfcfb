import { DomainError } from '@crm/contracts';

/** The same answer for an unknown id and another tenant's user: nothing leaks across tenants. */
export function userNotFound(): DomainError {
  return new DomainError('NOT_FOUND', 'No such user.');
}
