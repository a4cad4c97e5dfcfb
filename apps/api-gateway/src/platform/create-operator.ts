import { hash } from '@node-rs/argon2';
import { z } from 'zod';
import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { DB } from '../generated/kysely/database';
import { isUniqueViolation } from '../infrastructure/database/unique-violation';

export const createOperatorSchema = z.object({
  email: z
    .email()
    .max(320)
    .transform((email) => email.toLowerCase()),
  name: z.string().trim().min(1).max(200),
  password: z.string().min(16, 'must be at least 16 characters').max(256),
});
export type CreateOperatorInput = z.input<typeof createOperatorSchema>;

export class OperatorExistsError extends Error {
  constructor(email: string) {
    super(`an operator with the email ${email} already exists`);
    this.name = 'OperatorExistsError';
  }
}

/**
 * Creates a platform operator (argon2id hash, as users'). The only way one comes to exist: the
 * command-line tool calls this on the gateway's database; no HTTP route does.
 */
export async function createOperator(
  db: Kysely<DB>,
  input: CreateOperatorInput,
): Promise<{ id: string; email: string; name: string }> {
  const { email, name, password } = createOperatorSchema.parse(input);
  const passwordHash = await hash(password);
  try {
    return await db
      .insertInto('platform_operator')
      .values({ id: randomUUID(), email, name, password_hash: passwordHash, updated_at: sql<Date>`now()` })
      .returning(['id', 'email', 'name'])
      .executeTakeFirstOrThrow();
  } catch (error) {
    if (isUniqueViolation(error)) throw new OperatorExistsError(email);
    throw error;
  }
}
