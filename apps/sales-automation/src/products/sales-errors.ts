import { ContractIssue, DomainError, validationFailed as invalid } from '@crm/contracts';

/** The one VALIDATION_FAILED of the system (`errors: [{ field, message }]`), its message naming the fields for the log. */
export function validationFailed(issues: ContractIssue[]): DomainError {
  return invalid(issues, issues.map((i) => `${i.path}: ${i.message}`).join('; '));
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

/** A 409 a client can act on: a stable `code` and the field that clashes. */
export function conflictOn(problemCode: string, field: string, message: string, extra: Record<string, unknown> = {}): DomainError {
  return new DomainError('CONFLICT', message, { problemCode, errors: [{ field, message }], ...extra });
}

/**
 * The unique constraint a Postgres error broke (23505), if that is what it is: from the pg driver
 * (statements on the pool) or from Prisma's raw path (statements inside a command's transaction).
 */
export function violatedConstraint(error: unknown): string | undefined {
  const e = error as { code?: string; constraint?: string; meta?: { code?: string; message?: string }; message?: string };
  if (e?.code === '23505') return e.constraint ?? '';
  if (e?.meta?.code === '23505' || (typeof e?.message === 'string' && e.message.includes('`23505`'))) {
    return /unique constraint "([^"]+)"/.exec(`${e.meta?.message ?? ''} ${e.message ?? ''}`)?.[1] ?? '';
  }
  return undefined;
}
