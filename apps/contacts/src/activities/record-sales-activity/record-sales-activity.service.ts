import { Injectable } from '@nestjs/common';
import type { Deal, Order } from '@crm/contracts';
import { ActivityRepository, ActivityWrite } from '../activity.repository';

/** Orders in these statuses no longer count toward lifetime value and last purchase. */
const UNDONE_ORDER_STATUSES = new Set(['cancelled', 'refunded']);

/**
 * Keeps a contact's orders and deals from the sales service's events. Each event carries the
 * whole order or deal with its version; the entry takes it only when newer than what it holds,
 * so a redelivery or an event overtaken by a later one changes nothing (the inbox already drops
 * the same delivery twice), and lifetime value, summed from the entries, moves exactly once.
 * Runs in the consumer's transaction with the inbox row.
 */
@Injectable()
export class RecordSalesActivityService {
  constructor(private readonly activities: ActivityRepository) {}

  recordOrder(tenantId: string, order: Order): Promise<void> {
    return this.record(tenantId, order.contactId, {
      id: order.id,
      kind: 'order',
      title: order.externalId ? [order.externalSystem, order.externalId].filter(Boolean).join(' ') : null,
      status: order.status,
      amountMinor: order.totalMinor,
      currency: order.currency,
      counts: !UNDONE_ORDER_STATUSES.has(order.status),
      occurredAt: new Date(order.purchasedAt),
      version: order.version,
      updatedAt: new Date(order.updatedAt),
    });
  }

  recordDeal(tenantId: string, deal: Deal): Promise<void> {
    return this.record(tenantId, deal.contactId, {
      id: deal.id,
      kind: 'deal',
      title: deal.title,
      status: deal.status,
      amountMinor: deal.amountMinor,
      currency: deal.currency,
      counts: false,
      occurredAt: new Date(deal.createdAt),
      version: deal.version,
      updatedAt: new Date(deal.updatedAt),
    });
  }

  private async record(tenantId: string, contactId: string | null, entry: Omit<ActivityWrite, 'contactId'>): Promise<void> {
    await this.activities.recordUnder(tenantId, contactId, entry);
  }
}
