import { hash } from '@node-rs/argon2';
import { z } from 'zod';
import type { PrismaClient } from '../generated/prisma/client';

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
  prisma: Pick<PrismaClient, 'platformOperator'>,
  input: CreateOperatorInput,
): Promise<{ id: string; email: string; name: string }> {
  const { email, name, password } = createOperatorSchema.parse(input);
  try {
    return await prisma.platformOperator.create({ data: { email, name, passwordHash: await hash(password) }, select: { id: true, email: true, name: true } });
  } catch (error) {
    if ((error as { code?: string }).code === 'P2002') throw new OperatorExistsError(email);
    throw error;
  }
}
