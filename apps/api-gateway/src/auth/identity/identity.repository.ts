import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterPrisma } from '@nestjs-cls/transactional-adapter-prisma';
import type { PrismaService } from '../../infrastructure/database/prisma.service';

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

/** Tenants and users; the only code that touches their tables. */
@Injectable()
export class IdentityRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterPrisma<PrismaService>>) {}

  private get db() {
    return this.txHost.tx;
  }

  createTenant(name: string, slug: string): Promise<TenantRecord> {
    return this.db.tenant.create({ data: { name, slug } });
  }

  async slugTaken(slug: string): Promise<boolean> {
    return (await this.db.tenant.count({ where: { slug } })) > 0;
  }

  findTenant(id: string): Promise<TenantRecord | null> {
    return this.db.tenant.findUnique({ where: { id } });
  }

  /** Null when the email is taken in that organisation (emails are unique per organisation). */
  async createUser(data: Omit<UserRecord, 'id' | 'active' | 'createdAt'>): Promise<UserRecord | null> {
    try {
      return await this.db.user.create({ data });
    } catch (error) {
      if ((error as { code?: string }).code === 'P2002') return null;
      throw error;
    }
  }

  /** The accounts of an email, in every organisation or in the one whose slug is given. */
  findUsersByEmail(email: string, organizationSlug?: string): Promise<UserInTenant[]> {
    return this.db.user.findMany({
      where: { email, ...(organizationSlug !== undefined && { tenant: { slug: organizationSlug } }) },
      include: { tenant: { select: { slug: true, name: true } } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: MAX_ACCOUNTS_PER_EMAIL,
    });
  }

  findUser(id: string): Promise<UserRecord | null> {
    return this.db.user.findUnique({ where: { id } });
  }
}
