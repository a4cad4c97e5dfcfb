import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { selectDeals, type DealRow } from '../deals/deal.table';
import { Database } from '../infrastructure/database/database';
import { customerNameOfDeal } from './customer-name.sql';
import type { LeadRow } from '../leads/lead.mapper';
import { selectOrders, type OrderRow } from '../orders/order.table';
import type { TaskRow } from '../tasks/task.mapper';

/**
 * The live records a merge moved, by table (deleted or erased ones move too, but are gone for
 * their readers: no event), and each moved deal's customer name before the move.
 */
export interface MovedRecords {
  deals: { id: string; customerName: string | null }[];
  orderIds: string[];
  taskIds: string[];
  leadIds: string[];
}

/** The moved records as they are now, for their events. */
export interface MovedRows {
  deals: DealRow[];
  orders: OrderRow[];
  tasks: TaskRow[];
  leads: LeadRow[];
}

/**
 * Every record of this service that points at a contact or company, rewritten set-based (one
 * statement per table): a merged contact's records move to the survivor, an erased contact's
 * personal data goes, and deals show their customer's current name.
 */
@Injectable()
export class ContactReferencesRepository {
  constructor(private readonly db: Database) {}

  /** Deals, orders, tasks and converted leads of `mergedId` now point to `survivorId` (each a new version). */
  async moveToSurvivor(tenantId: string, mergedId: string, survivorId: string): Promise<MovedRecords> {
    const now = new Date();
    const deals = await this.db
      .updateTable('deal')
      .set({ contact_id: survivorId, version: sql`version + 1`, updated_at: now })
      .where('tenant_id', '=', tenantId)
      .where('contact_id', '=', mergedId)
      .returning(['id', 'customer_name', 'deleted_at'])
      .execute();
    const orders = await this.db
      .updateTable('sales_order')
      .set({ contact_id: survivorId, version: sql`version + 1`, updated_at: now })
      .where('tenant_id', '=', tenantId)
      .where('contact_id', '=', mergedId)
      .returning('id')
      .execute();
    const tasks = await this.db
      .updateTable('task')
      .set({ related_id: survivorId, version: sql`version + 1`, updated_at: now })
      .where('tenant_id', '=', tenantId)
      .where('related_type', '=', 'contact')
      .where('related_id', '=', mergedId)
      .returning(['id', 'deleted_at'])
      .execute();
    const leads = await this.db
      .updateTable('lead')
      .set({ converted_contact_id: survivorId, version: sql`version + 1`, updated_at: now })
      .where('tenant_id', '=', tenantId)
      .where('converted_contact_id', '=', mergedId)
      .returning(['id', 'deleted_at', 'erased_at'])
      .execute();
    return {
      deals: deals.filter((deal) => !deal.deleted_at).map((deal) => ({ id: deal.id, customerName: deal.customer_name })),
      orderIds: orders.map((order) => order.id),
      taskIds: tasks.filter((task) => !task.deleted_at).map((task) => task.id),
      leadIds: leads.filter((lead) => !lead.deleted_at && !lead.erased_at).map((lead) => lead.id),
    };
  }

  /** The moved records as they are now (read after the deals' customer names were refreshed). */
  async movedRows(tenantId: string, moved: MovedRecords): Promise<MovedRows> {
    const byIds = <T>(ids: string[], read: () => Promise<T[]>) => (ids.length ? read() : Promise.resolve([]));
    const dealIds = moved.deals.map((deal) => deal.id);
    return {
      deals: await byIds(dealIds, () => selectDeals(this.db).where('d.tenant_id', '=', tenantId).where('d.id', 'in', dealIds).execute()),
      orders: await byIds(moved.orderIds, () => selectOrders(this.db).where('o.tenant_id', '=', tenantId).where('o.id', 'in', moved.orderIds).execute()),
      tasks: await byIds(moved.taskIds, () =>
        this.db.selectFrom('task').selectAll().where('tenant_id', '=', tenantId).where('id', 'in', moved.taskIds).execute(),
      ),
      leads: await byIds(moved.leadIds, () =>
        this.db.selectFrom('lead').selectAll().where('tenant_id', '=', tenantId).where('id', 'in', moved.leadIds).execute(),
      ),
    };
  }

  /** Leads converted into the erased contact keep no personal fields. */
  async eraseConvertedLeads(tenantId: string, contactId: string, erasedAt: Date): Promise<void> {
    await this.db
      .updateTable('lead')
      .set({ first_name: null, last_name: null, email: null, phone: null, message: null, erased_at: erasedAt, updated_at: new Date() })
      .where('tenant_id', '=', tenantId)
      .where('converted_contact_id', '=', contactId)
      .execute();
  }

  /** Deals of the contact (or of the company) show the customer's name as the copies know it now. */
  async refreshCustomerNames(tenantId: string, by: { contactId: string } | { companyId: string }): Promise<void> {
    let update = this.db.updateTable('deal').set({ customer_name: customerNameOfDeal() }).where('tenant_id', '=', tenantId);
    update = 'contactId' in by ? update.where('contact_id', '=', by.contactId) : update.where('company_id', '=', by.companyId);
    await update.execute();
  }
}
