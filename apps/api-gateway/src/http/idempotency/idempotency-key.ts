import { DomainError } from '@crm/contracts';
import { createHash } from 'node:crypto';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
const MAX_LENGTH = 255;

/**
 * The Idempotency-Key of a request, or undefined when it has none. The draft defines it as a
 * Structured Field string (`"…"`); the bare form most clients send is accepted as well.
 */
export function idempotencyKeyOf(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const raw = Array.isArray(header) ? header.join(',') : header;
  const key = /^".*"$/.test(raw) ? raw.slice(1, -1) : raw;
  if (key.length < 1 || key.length > MAX_LENGTH) {
    const message = `must be 1 to ${MAX_LENGTH} characters`;
    throw new DomainError('VALIDATION_FAILED', `Idempotency-Key ${message}.`, { errors: [{ field: 'Idempotency-Key', message }] });
  }
  return key;
}

/** The request body's fingerprint: the same key may only be reused with the same payload. */
export function fingerprintOf(body: unknown): string {
  return sha256(JSON.stringify(body ?? null));
}

/** The Redis key of one idempotency record: the caller's scope, the method, the path and the key, hashed to bound its length. */
export function recordKeyOf(prefix: string, scope: string, method: string, url: string, key: string): string {
  return `${prefix}idempotency:${sha256(JSON.stringify([scope, method, url, key]))}`;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
