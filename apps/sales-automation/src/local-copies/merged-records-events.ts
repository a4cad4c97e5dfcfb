import { Injectable } from '@nestjs/common';
import { dealUpdated, leadUpdated, orderUpdated, taskUpdated } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { toDeal } from '../deals/deal.mapper';
import { toLead } from '../leads/lead.mapper';
import { toOrder } from '../orders/order.table';
import { toTask } from '../tasks/task.mapper';
import { ContactReferencesRepository, MovedRecords } from './contact-references.repository';

/**
 * The `updated` event of every live record a merge moved to the survivor (in the inbox's
 * transaction, with the move): readers of deals, orders, tasks and leads learn their new contact.
 */
@Injectable()
export class MergedRecordsEvents {
  constructor(
    private readonly references: ContactReferencesRepository,
    private readonly events: EventPublisher,
  ) {}

  async publish(tenantId: string, moved: MovedRecords): Promise<void> {
    const rows = await this.references.movedRows(tenantId, moved);
    const meta = (entity: { id: string; version: number }) => ({ tenantId, subject: entity.id, entityVersion: entity.version });
    const nameBefore = new Map(moved.deals.map((deal) => [deal.id, deal.customerName]));
    await this.events.publishMany(
      dealUpdated,
      rows.deals.map(toDeal).map((deal) => ({
        data: { deal, changed: nameBefore.get(deal.id) === deal.customerName ? ['contactId'] : ['contactId', 'customerName'] },
        meta: meta(deal),
      })),
    );
    await this.events.publishMany(
      orderUpdated,
      rows.orders.map(toOrder).map((order) => ({ data: { order, changed: ['contactId'] }, meta: meta(order) })),
    );
    await this.events.publishMany(
      taskUpdated,
      rows.tasks.map(toTask).map((task) => ({ data: { task, changed: ['relatedId'] }, meta: meta(task) })),
    );
    await this.events.publishMany(
      leadUpdated,
      rows.leads.map(toLead).map((lead) => ({ data: { lead, changed: ['convertedContactId'] }, meta: meta(lead) })),
    );
  }
}
