import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterPrisma } from '@nestjs-cls/transactional-adapter-prisma';
import type { PrismaService } from '../infrastructure/database/prisma.service';
import { addToCountersSql } from './tenant-counters.repository';

/** The only reader and writer of company_view. */
@Injectable()
export class CompanyViewRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterPrisma<PrismaService>>) {}

  private get db() {
    return this.txHost.tx;
  }

  /**
   * The company takes this version's state if it is newer than the one it has (whatever the
   * arrival order, the highest version wins), and the tenant's company count follows, in one
   * statement. `deletedAt` null: the company exists at this version.
   */
  async applyVersion(tenantId: string, companyId: string, version: number, deletedAt: Date | null): Promise<void> {
    await this.db.$executeRawUnsafe(
      `WITH before AS (
          SELECT deleted FROM company_view WHERE tenant_id = $1 AND company_id = $2::uuid
        ), saved AS (
          INSERT INTO company_view (tenant_id, company_id, version, deleted, deleted_at)
          VALUES ($1, $2::uuid, $3::int, $4::timestamptz IS NOT NULL, $4::timestamptz)
          ON CONFLICT (tenant_id, company_id) DO UPDATE
            SET version = EXCLUDED.version, deleted = EXCLUDED.deleted, deleted_at = EXCLUDED.deleted_at
            WHERE EXCLUDED.version > company_view.version
          RETURNING deleted
        )
        ${addToCountersSql(`SELECT $1::text AS tenant_id, 0 AS lead, 0 AS prospect, 0 AS customer, 0 AS churned,
            (NOT saved.deleted)::int - coalesce((NOT before.deleted)::int, 0) AS companies
          FROM saved LEFT JOIN before ON true`)}`,
      tenantId,
      companyId,
      version,
      deletedAt,
    );
  }

  async deleteTenant(tenantId: string): Promise<void> {
    await this.db.companyView.deleteMany({ where: { tenantId } });
  }

  all(tenantId: string) {
    return this.db.companyView.findMany({ where: { tenantId }, orderBy: { companyId: 'asc' } });
  }
}
