import { randomUUID } from 'node:crypto';
import { type InsertObject, sql } from 'kysely';
import type { DB } from '../../generated/kysely/database';

/** A new user's row (sign-up's first admin and an administrator's new user alike): its id, and updated_at as the database's now() beside created_at's default. */
export function newAppUser(user: { tenantId: string; email: string; name: string; passwordHash: string; roles: string[] }): InsertObject<DB, 'app_user'> {
  return {
    id: randomUUID(),
    tenant_id: user.tenantId,
    email: user.email,
    name: user.name,
    password_hash: user.passwordHash,
    roles: user.roles,
    updated_at: sql<Date>`now()`,
  };
}
