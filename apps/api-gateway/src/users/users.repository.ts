import { Injectable } from '@nestjs/common';
import type { Role } from '@crm/contracts';
import { sql } from 'kysely';
import { Database } from '../infrastructure/database/database';
import { isUniqueViolation } from '../infrastructure/database/unique-violation';
import { newAppUser } from '../infrastructure/database/new-app-user';

/** A user as administrators see it: everything but the password hash. */
export interface ManagedUser {
  id: string;
  tenantId: string;
  email: string;
  name: string;
  roles: string[];
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** Where the previous page ended, in the list's order (createdAt, id). */
export interface UserCursor {
  createdAt: Date;
  id: string;
}

export interface UserListQuery {
  role?: Role;
  active?: boolean;
  q?: string;
  after?: UserCursor;
  limit: number;
}

// Never select the hash: what leaves this repository may be returned as is.
const VISIBLE = [
  'id',
  'tenant_id as tenantId',
  'email',
  'name',
  'roles',
  'active',
  'created_at as createdAt',
  'updated_at as updatedAt',
] as const;

/** `q` as an ILIKE pattern that matches it anywhere, its own `%`, `_` and `\` taken literally. */
function containsPattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Users of one tenant, for their administrators. Every method takes the tenant: a user of
 * another tenant is as invisible as one that does not exist.
 */
@Injectable()
export class UsersRepository {
  constructor(private readonly db: Database) {}

  /** Null when the email is taken in this tenant (emails are unique per tenant; other tenants' are never looked at). */
  async create(data: { tenantId: string; email: string; name: string; passwordHash: string; roles: Role[] }): Promise<ManagedUser | null> {
    try {
      return await this.db
        .insertInto('app_user')
        .values(newAppUser(data))
        .returning(VISIBLE)
        .executeTakeFirstOrThrow();
    } catch (error) {
      if (isUniqueViolation(error)) return null;
      throw error;
    }
  }

  async find(tenantId: string, id: string): Promise<ManagedUser | null> {
    return (await this.db.selectFrom('app_user').select(VISIBLE).where('id', '=', id).where('tenant_id', '=', tenantId).executeTakeFirst()) ?? null;
  }

  /** Up to `limit` users after the cursor, in a stable order (createdAt, then id). */
  list(tenantId: string, query: UserListQuery): Promise<ManagedUser[]> {
    let select = this.db.selectFrom('app_user').select(VISIBLE).where('tenant_id', '=', tenantId);
    if (query.role) select = select.where(sql<boolean>`${query.role} = ANY(roles)`);
    if (query.active !== undefined) select = select.where('active', '=', query.active);
    if (query.q) {
      const pattern = containsPattern(query.q);
      select = select.where((eb) => eb.or([eb('name', 'ilike', pattern), eb('email', 'ilike', pattern)]));
    }
    if (query.after) {
      const { createdAt, id } = query.after;
      select = select.where((eb) => eb.or([eb('created_at', '>', createdAt), eb.and([eb('created_at', '=', createdAt), eb('id', '>', id)])]));
    }
    return select.orderBy('created_at').orderBy('id').limit(query.limit).execute();
  }

  /** Null when the user is not in the tenant. */
  async update(tenantId: string, id: string, data: { name?: string; roles?: Role[]; active?: boolean }): Promise<ManagedUser | null> {
    const row = await this.db
      .updateTable('app_user')
      .set({ ...data, updated_at: sql<Date>`now()` })
      .where('id', '=', id)
      .where('tenant_id', '=', tenantId)
      .returning(VISIBLE)
      .executeTakeFirst();
    return row ?? null;
  }

  async countActiveAdmins(tenantId: string): Promise<number> {
    const { count } = await this.db
      .selectFrom('app_user')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('tenant_id', '=', tenantId)
      .where('active', '=', true)
      .where(sql<boolean>`'admin' = ANY(roles)`)
      .executeTakeFirstOrThrow();
    return Number(count);
  }

  /**
   * Locks the tenant row until the transaction ends, so changes that could leave a tenant
   * without an active admin run one at a time (two admins demoting each other at once).
   */
  async lockTenant(tenantId: string): Promise<void> {
    await this.db.selectFrom('tenant').select('id').where('id', '=', tenantId).forNoKeyUpdate().execute();
  }
}
