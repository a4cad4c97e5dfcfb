import { Injectable } from '@nestjs/common';
import { Database } from '../../infrastructure/database/database';

export interface Recipient {
  id: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  tags: string[];
  customFields: unknown;
  company: { id: string; name: string; domain: string | null } | null;
  /** Deleted, merged or erased: nothing is sent to it. */
  gone: boolean;
}

/** What templates read, from this service's own tables: the contact copies, the companies, deals and orders. */
@Injectable()
export class EmailContextRepository {
  constructor(private readonly db: Database) {}

  async recipients(tenantId: string, contactIds: string[]): Promise<Map<string, Recipient>> {
    if (contactIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('contact_copy as c')
      .leftJoin('company_copy as co', (join) => join.onRef('co.id', '=', 'c.company_id').on('co.deleted_at', 'is', null))
      .select([
        'c.id',
        'c.first_name',
        'c.last_name',
        'c.email',
        'c.tags',
        'c.custom_fields',
        'c.deleted_at',
        'c.erased_at',
        'c.merged_into_id',
        'co.id as company_id',
        'co.name as company_name',
        'co.domain as company_domain',
      ])
      .where('c.tenant_id', '=', tenantId)
      .where('c.id', 'in', [...new Set(contactIds)])
      .execute();
    return new Map(
      rows.map((r) => [
        r.id,
        {
          id: r.id,
          firstName: r.first_name,
          lastName: r.last_name,
          email: r.email,
          tags: r.tags ?? [],
          customFields: r.custom_fields ?? {},
          company: r.company_id ? { id: r.company_id, name: r.company_name as string, domain: r.company_domain } : null,
          gone: r.deleted_at !== null || r.erased_at !== null || r.merged_into_id !== null,
        },
      ]),
    );
  }

  async order(tenantId: string, id: string): Promise<Record<string, unknown> | undefined> {
    const row = await this.db
      .selectFrom('sales_order')
      .select(['id', 'currency', 'subtotal_minor', 'discount_minor', 'total_minor', 'purchased_at', 'channel', 'status', 'external_id', 'invoice_number'])
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return (
      row && {
        id: row.id,
        number: row.external_id ?? row.id.slice(0, 8),
        currency: row.currency,
        subtotalMinor: Number(row.subtotal_minor),
        discountMinor: Number(row.discount_minor),
        totalMinor: Number(row.total_minor),
        purchasedAt: new Date(row.purchased_at).toISOString(),
        channel: row.channel,
        status: row.status,
        invoiceNumber: row.invoice_number,
      }
    );
  }

  async deal(tenantId: string, id: string): Promise<Record<string, unknown> | undefined> {
    const row = await this.db
      .selectFrom('deal')
      .select(['id', 'title', 'amount_minor', 'currency', 'status'])
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return row && { id: row.id, title: row.title, amountMinor: Number(row.amount_minor), currency: row.currency, status: row.status };
  }
}
