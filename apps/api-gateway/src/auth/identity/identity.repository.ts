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
  createdAt: Date;
}

/** Tenants and users; the only code that touches their tables. */
@Injectable()
export class IdentityRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterPrisma<PrismaService>>) {}

  private get db() {
    return this.txHost.tx;
  }

  createTenant(name: string): Promise<TenantRecord> {
    return this.db.tenant.create({ data: { name } });
  }

  findTenant(id: string): Promise<TenantRecord | null> {
    return this.db.tenant.findUnique({ where: { id } });
  }

  /** Null when the email is taken. */
  async createUser(data: Omit<UserRecord, 'id' | 'active' | 'createdAt'>): Promise<UserRecord | null> {
    try {
      return await this.db.user.create({ data });
    } catch (error) {
      if ((error as { code?: string }).code === 'P2002') return null;
      throw error;
    }
  }

  emailTaken(email: string): Promise<boolean> {
    return this.db.user.count({ where: { email } }).then((n) => n > 0);
  }

  findUserByEmail(email: string): Promise<UserRecord | null> {
    return this.db.user.findUnique({ where: { email } });
  }

  findUser(id: string): Promise<UserRecord | null> {
    return this.db.user.findUnique({ where: { id } });
  }
}
