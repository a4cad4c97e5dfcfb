import { createHash } from 'node:crypto';

/**
 * The same uuid for the same lead and step, every time (a name-based uuid, RFC 9562 v8 layout over
 * SHA-256): what a retried conversion passes so the step it repeats makes nothing new.
 */
export function derivedId(leadId: string, step: string): string {
  const hex = createHash('sha256').update(`lead-conversion:${leadId}:${step}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
