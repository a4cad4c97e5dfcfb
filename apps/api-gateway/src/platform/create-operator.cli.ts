/**
 * npm run operator:create -- --email ops@example.com --name "Ops Person"
 *
 * Creates a platform operator in the gateway's database (API_GATEWAY_DATABASE_URL). The password
 * is never an argument (it would sit in the shell history and the process list): it is read from
 * OPERATOR_PASSWORD, or else from standard input (`... < password-file`, or typed; one line).
 * Exit code 0 on success, 1 on invalid input or an existing operator.
 */
import { parseArgs } from 'node:util';
import { Kysely, PostgresDialect } from 'kysely';
import { Pool } from 'pg';
import { z } from 'zod';
import { envServiceDatabaseUrl, loadConfig } from '@crm/config';
import { SERVICE_NAME } from '../app.config';
import type { DB } from '../generated/kysely/database';
import { createOperator, OperatorExistsError } from './create-operator';

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Password (input is not hidden; prefer OPERATOR_PASSWORD or a file on stdin): ');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { email: { type: 'string' }, name: { type: 'string' } }, strict: true });
  if (!values.email || !values.name) {
    process.stderr.write('usage: npm run operator:create -- --email <email> --name <name>  (password: OPERATOR_PASSWORD or stdin)\n');
    return 1;
  }
  const password = process.env['OPERATOR_PASSWORD'] || (await readStdin());
  // Only the database URL, validated as the gateway's config does (the rest of it is not needed here).
  const { API_GATEWAY_DATABASE_URL } = loadConfig(z.object({ API_GATEWAY_DATABASE_URL: envServiceDatabaseUrl(SERVICE_NAME) }));
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: new Pool({ connectionString: API_GATEWAY_DATABASE_URL, max: 1 }) }) });
  try {
    const operator = await createOperator(db, { email: values.email, name: values.name, password });
    process.stdout.write(`created platform operator ${operator.email} (${operator.id})\n`);
    return 0;
  } catch (error) {
    if (error instanceof z.ZodError) {
      for (const issue of error.issues) process.stderr.write(`${issue.path.join('.')}: ${issue.message}\n`);
      return 1;
    }
    if (error instanceof OperatorExistsError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await db.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
