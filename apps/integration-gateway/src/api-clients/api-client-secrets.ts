import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** What every secret starts with: secret scanners (and people) recognise a leaked one. */
export const API_CLIENT_SECRET_PREFIX = 'crm_sk_';

export interface NewSecret {
  /** Shown once, in the create or rotate reply. */
  secret: string;
  hash: string;
  /** Its last 4 characters. */
  hint: string;
}

/**
 * A new client secret: 32 random bytes (256 bits), base64url, with the prefix.
 *
 * Stored only as its SHA-256 hash, not a slow password hash (bcrypt, argon2): those exist to slow
 * the guessing of low-entropy human passwords; a 256-bit random secret cannot be guessed from its
 * hash whatever the speed, and a fast hash lets POST /oauth/token find the secret by its unique
 * hash in one index lookup instead of paying ~100 ms of CPU per token request.
 */
export function newSecret(): NewSecret {
  const secret = `${API_CLIENT_SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { secret, hash: hashSecret(secret), hint: secret.slice(-4) };
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Constant-time equality of two strings (false at once when their lengths differ, which leaks only the length). */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
