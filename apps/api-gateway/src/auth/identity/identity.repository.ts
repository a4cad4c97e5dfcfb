import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Database } from '../../infrastructure/database/database';
import { isUniqueViolation } from '../../infrastructure/database/unique-violation';
import { newAppUser } from '../../infrastructure/database/new-app-user';

export interface UserRecord {
  id: string;
  tenantId: string;
  email: string;
  name: string;
  passwordHash: string;
  roles: string[];
  active: boolean;
  createdAt: Date;
}

export interface TenantRecord {
  id: string;
  name: string;
  slug: string;
  createdAt: Date;
}

/** A user with the organisation it belongs to (login across organisations). */
export interface UserInTenant extends UserRecord {
  tenant: { slug: string; name: string };
}

/** Accounts of one email considered by a login: an email has one per organisation at most. */
const MAX_ACCOUNTS_PER_EMAIL = 20;

const TENANT_RECORD = ['id', 'name', 'slug', 'created_at as createdAt'] as const;
const USER_RECORD = [
  'app_user.id',
  'app_user.tenant_id as tenantId',
  'app_user.email',
  'app_user.name',
  'app_user.password_hash as passwordHash',
  'app_user.roles',
  'app_user.active',
  'app_user.created_at as createdAt',
] as const;

/** Tenants and users; the only code that touches their tables. */
@Injectable()
export class IdentityRepository {
  constructor(private readonly db: Database) {}

  createTenant(name: string, slug: string): Promise<TenantRecord> {
    return this.db
      .insertInto('tenant')
      .values({ id: randomUUID(), name, slug, updated_at: sql<Date>`now()` })
      .returning(TENANT_RECORD)
      .executeTakeFirstOrThrow();
  }

  async slugTaken(slug: string): Promise<boolean> {
    return (await this.db.selectFrom('tenant').select('id').where('slug', '=', slug).executeTakeFirst()) !== undefined;
  }

  async findTenant(id: string): Promise<TenantRecord | null> {
    return (await this.db.selectFrom('tenant').select(TENANT_RECORD).where('id', '=', id).executeTakeFirst()) ?? null;
  }

  /** Null when the email is taken in that organisation (emails are unique per organisation). */
  async createUser(data: Omit<UserRecord, 'id' | 'active' | 'createdAt'>): Promise<UserRecord | null> {
    try {
      return await this.db
        .insertInto('app_user')
        .values(newAppUser(data))
        .returning(USER_RECORD)
        .executeTakeFirstOrThrow();
    } catch (error) {
      if (isUniqueViolation(error)) return null;
      throw error;
    }
  }

  /** The accounts of an email, in every organisation or in the one whose slug is given. */
  async findUsersByEmail(email: string, organizationSlug?: string): Promise<UserInTenant[]> {
    let query = this.db
      .selectFrom('app_user')
      .innerJoin('tenant', 'tenant.id', 'app_user.tenant_id')
      .select([...USER_RECORD, 'tenant.slug as tenantSlug', 'tenant.name as tenantName'])
      .where('app_user.email', '=', email);
    if (organizationSlug !== undefined) query = query.where('tenant.slug', '=', organizationSlug);
    const rows = await query.orderBy('app_user.created_at').orderBy('app_user.id').limit(MAX_ACCOUNTS_PER_EMAIL).execute();
    return rows.map(({ tenantSlug, tenantName, ...user }) => ({ ...user, tenant: { slug: tenantSlug, name: tenantName } }));
  }

  async findUser(id: string): Promise<UserRecord | null> {
    return (await this.db.selectFrom('app_user').select(USER_RECORD).where('id', '=', id).executeTakeFirst()) ?? null;
  }
}
