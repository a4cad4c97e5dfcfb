import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterPrisma } from '@nestjs-cls/transactional-adapter-prisma';
import type { LifecycleStage } from '@crm/contracts';
import type { PrismaService } from '../infrastructure/database/prisma.service';

export interface TenantCounts {
  contacts: Record<LifecycleStage, number>;
  companies: number;
}

/** Owns tenant_counters (one row per tenant, changed with the views): its writes run inside the views' writes (tenant-counters.table.ts). */
@Injectable()
export class TenantCountersRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterPrisma<PrismaService>>) {}

  private get db() {
    return this.txHost.tx;
  }

  async get(tenantId: string): Promise<TenantCounts> {
    const row = await this.db.tenantCounters.findUnique({ where: { tenantId } });
    return {
      contacts: {
        lead: row?.contactsLead ?? 0,
        prospect: row?.contactsProspect ?? 0,
        customer: row?.contactsCustomer ?? 0,
        churned: row?.contactsChurned ?? 0,
      },
      companies: row?.companies ?? 0,
    };
  }

  async deleteTenant(tenantId: string): Promise<void> {
    await this.db.tenantCounters.deleteMany({ where: { tenantId } });
  }
}
