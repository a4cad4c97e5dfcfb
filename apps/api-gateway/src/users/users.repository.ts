import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterPrisma } from '@nestjs-cls/transactional-adapter-prisma';
import type { Role } from '@crm/contracts';
import type { Prisma } from '../generated/prisma/client';
import { Database } from '../infrastructure/database/database';
import type { PrismaService } from '../infrastructure/database/prisma.service';

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
const VISIBLE = { id: true, tenantId: true, email: true, name: true, roles: true, active: true, createdAt: true, updatedAt: true } as const;

/**
 * Users of one tenant, for their administrators. Every method takes the tenant: a user of
 * another tenant is as invisible as one that does not exist.
 */
@Injectable()
export class UsersRepository {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterPrisma<PrismaService>>,
    private readonly database: Database,
  ) {}

  private get db() {
    return this.txHost.tx;
  }

  /** Null when the email is taken in this tenant (emails are unique per tenant; other tenants' are never looked at). */
  async create(data: { tenantId: string; email: string; name: string; passwordHash: string; roles: Role[] }): Promise<ManagedUser | null> {
    try {
      return await this.db.user.create({ data, select: VISIBLE });
    } catch (error) {
      if ((error as { code?: string }).code === 'P2002') return null;
      throw error;
    }
  }

  find(tenantId: string, id: string): Promise<ManagedUser | null> {
    return this.db.user.findFirst({ where: { id, tenantId }, select: VISIBLE });
  }

  /** Up to `limit` users after the cursor, in a stable order (createdAt, then id). */
  list(tenantId: string, query: UserListQuery): Promise<ManagedUser[]> {
    const where: Prisma.UserWhereInput = { tenantId };
    if (query.role) where.roles = { has: query.role };
    if (query.active !== undefined) where.active = query.active;
    const and: Prisma.UserWhereInput[] = [];
    if (query.q) {
      and.push({ OR: [{ name: { contains: query.q, mode: 'insensitive' } }, { email: { contains: query.q, mode: 'insensitive' } }] });
    }
    if (query.after) {
      const { createdAt, id } = query.after;
      and.push({ OR: [{ createdAt: { gt: createdAt } }, { createdAt, id: { gt: id } }] });
    }
    if (and.length) where.AND = and;
    return this.db.user.findMany({ where, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: query.limit, select: VISIBLE });
  }

  /** Null when the user is not in the tenant. */
  async update(tenantId: string, id: string, data: { name?: string; roles?: Role[]; active?: boolean }): Promise<ManagedUser | null> {
    const { count } = await this.db.user.updateMany({ where: { id, tenantId }, data });
    return count === 1 ? this.find(tenantId, id) : null;
  }

  countActiveAdmins(tenantId: string): Promise<number> {
    return this.db.user.count({ where: { tenantId, active: true, roles: { has: 'admin' } } });
  }

  /**
   * Locks the tenant row until the transaction ends, so changes that could leave a tenant
   * without an active admin run one at a time (two admins demoting each other at once).
   */
  async lockTenant(tenantId: string): Promise<void> {
    await this.database.selectFrom('tenant').select('id').where('id', '=', tenantId).forNoKeyUpdate().execute();
  }
}
