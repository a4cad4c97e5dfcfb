import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterPrisma } from '@nestjs-cls/transactional-adapter-prisma';
import { Database } from '../infrastructure/database/database';
import type { PrismaService } from '../infrastructure/database/prisma.service';
import { applyCompanyVersion, companyViewRow } from './company-view.table';

/** Reads and writes company_view (with the tenant's company count). */
@Injectable()
export class CompanyViewRepository {
  constructor(
    private readonly db: Database,
    private readonly txHost: TransactionHost<TransactionalAdapterPrisma<PrismaService>>,
  ) {}

  private get prisma() {
    return this.txHost.tx;
  }

  /**
   * The company takes this version's state if it is newer than the one it has (whatever the
   * arrival order, the highest version wins), and the tenant's company count follows, in one
   * statement. `deletedAt` null: the company exists at this version.
   */
  async applyVersion(tenantId: string, companyId: string, version: number, deletedAt: Date | null): Promise<void> {
    await applyCompanyVersion(this.db, companyViewRow(tenantId, companyId, version, deletedAt)).execute();
  }

  async deleteTenant(tenantId: string): Promise<void> {
    await this.prisma.companyView.deleteMany({ where: { tenantId } });
  }

  all(tenantId: string) {
    return this.prisma.companyView.findMany({ where: { tenantId }, orderBy: { companyId: 'asc' } });
  }
}
