import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterPrisma } from '@nestjs-cls/transactional-adapter-prisma';
import type { PrismaService } from '../infrastructure/database/prisma.service';
import type { CompanyState } from '../projection/company-state';

/** The only reader and writer of company_view. */
@Injectable()
export class CompanyViewRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterPrisma<PrismaService>>) {}

  private get db() {
    return this.txHost.tx;
  }

  async find(tenantId: string, companyId: string): Promise<CompanyState | null> {
    const row = await this.db.companyView.findUnique({ where: { tenantId_companyId: { tenantId, companyId } } });
    if (!row) return null;
    const { tenantId: _tenant, ...state } = row;
    return state;
  }

  async save(tenantId: string, state: CompanyState): Promise<void> {
    await this.db.companyView.upsert({
      where: { tenantId_companyId: { tenantId, companyId: state.companyId } },
      create: { tenantId, ...state },
      update: state,
    });
  }

  async deleteTenant(tenantId: string): Promise<void> {
    await this.db.companyView.deleteMany({ where: { tenantId } });
  }

  all(tenantId: string) {
    return this.db.companyView.findMany({ where: { tenantId }, orderBy: { companyId: 'asc' } });
  }
}
