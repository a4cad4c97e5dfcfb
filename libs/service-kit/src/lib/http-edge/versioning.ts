import { DomainError } from '@crm/contracts';

/** The ETag of a versioned record: its version, as a strong validator. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/**
 * The version an `If-Match` header asks for (optimistic concurrency): absent → undefined (the
 * update is unconditional); `"7"` or `W/"7"` → 7; `"0"` → 412; anything else → 400 naming the header.
 */
export function versionFromIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"(\d{1,9})"\s*$/.exec(header);
  if (!match) {
    throw new DomainError('VALIDATION_FAILED', 'The request is invalid.', {
      errors: [{ field: 'If-Match', message: 'must be the ETag of the record, e.g. "3"' }],
    });
  }
  const version = Number(match[1]);
  // Versions start at 1: `"0"` is a well-formed ETag no record has, so the precondition fails
  // (a 412, as for any other stale version) rather than reaching the bus as an invalid message.
  if (version < 1) throw new DomainError('PRECONDITION_FAILED', 'The record is not at version 0.');
  return version;
}
