import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterPrisma } from '@nestjs-cls/transactional-adapter-prisma';
import type { LifecycleStage } from '@crm/contracts';
import type { PrismaService } from '../infrastructure/database/prisma.service';

export interface TenantCounts {
  contacts: Record<LifecycleStage, number>;
  companies: number;
}

/**
 * Adds the deltas `source` selects (one row: tenant_id, lead, prospect, customer, churned, companies)
 * to the tenant's counters; nothing when they are all zero. The views' writes embed it as a CTE so a
 * view row and the counters change in one statement (each statement costs CPU in Prisma's raw path).
 */
export function addToCountersSql(source: string): string {
  return `INSERT INTO tenant_counters (tenant_id, contacts_lead, contacts_prospect, contacts_customer, contacts_churned, companies)
      SELECT d.tenant_id, d.lead, d.prospect, d.customer, d.churned, d.companies FROM (${source}) AS d
      WHERE d.lead <> 0 OR d.prospect <> 0 OR d.customer <> 0 OR d.churned <> 0 OR d.companies <> 0
    ON CONFLICT (tenant_id) DO UPDATE SET
      contacts_lead = tenant_counters.contacts_lead + EXCLUDED.contacts_lead,
      contacts_prospect = tenant_counters.contacts_prospect + EXCLUDED.contacts_prospect,
      contacts_customer = tenant_counters.contacts_customer + EXCLUDED.contacts_customer,
      contacts_churned = tenant_counters.contacts_churned + EXCLUDED.contacts_churned,
      companies = tenant_counters.companies + EXCLUDED.companies`;
}

/** Owns tenant_counters (one row per tenant, changed with the views): its writes are addToCountersSql, run inside the views' writes. */
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
