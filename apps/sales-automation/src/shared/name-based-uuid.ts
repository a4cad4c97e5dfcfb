import { createHash } from 'node:crypto';

/**
 * The same uuid for the same name, every time (a name-based uuid, RFC 9562 v8 layout over
 * SHA-256): what a retried step passes as the id of what it makes, so a repeat makes nothing new.
 */
export function nameBasedUuid(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
