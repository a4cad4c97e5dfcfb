import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterPrisma } from '@nestjs-cls/transactional-adapter-prisma';
import type { LifecycleStage } from '@crm/contracts';
import type { PrismaService } from '../infrastructure/database/prisma.service';

export interface CounterDelta {
  contacts?: Partial<Record<LifecycleStage, number>>;
  companies?: number;
}

export interface TenantCounts {
  contacts: Record<LifecycleStage, number>;
  companies: number;
}

/** The only reader and writer of tenant_counters: one row per tenant, changed with the views. */
@Injectable()
export class TenantCountersRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterPrisma<PrismaService>>) {}

  private get db() {
    return this.txHost.tx;
  }

  async add(tenantId: string, delta: CounterDelta): Promise<void> {
    const c = delta.contacts ?? {};
    const [lead, prospect, customer, churned, companies] = [c.lead ?? 0, c.prospect ?? 0, c.customer ?? 0, c.churned ?? 0, delta.companies ?? 0];
    await this.db.$executeRaw`
      INSERT INTO tenant_counters (tenant_id, contacts_lead, contacts_prospect, contacts_customer, contacts_churned, companies)
      VALUES (${tenantId}, ${lead}, ${prospect}, ${customer}, ${churned}, ${companies})
      ON CONFLICT (tenant_id) DO UPDATE SET
        contacts_lead = tenant_counters.contacts_lead + EXCLUDED.contacts_lead,
        contacts_prospect = tenant_counters.contacts_prospect + EXCLUDED.contacts_prospect,
        contacts_customer = tenant_counters.contacts_customer + EXCLUDED.contacts_customer,
        contacts_churned = tenant_counters.contacts_churned + EXCLUDED.contacts_churned,
        companies = tenant_counters.companies + EXCLUDED.companies`;
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
