import { randomUUID } from 'node:crypto';
import { Deal, dealCreated, dealWon, EventEnvelope, Order, orderRecorded, orderStatusChanged, OrderStatus, orderUpdated } from '@crm/contracts';
import { testEnvelope } from '@crm/testing';

/** An order as the sales service's events carry it (one line; its total is the amount). */
export function orderOf(contactId: string | null, overrides: Partial<Order> = {}): Order {
  const at = new Date().toISOString();
  const totalMinor = overrides.totalMinor ?? 1999;
  return {
    id: randomUUID(),
    contactId,
    companyId: null,
    currency: 'EUR',
    subtotalMinor: totalMinor,
    discountMinor: 0,
    totalMinor,
    purchasedAt: at,
    channel: 'web',
    status: 'placed',
    externalId: null,
    externalSystem: null,
    lines: [{ productId: null, sku: 'SKU-1', name: 'Widget', quantity: 1, unitPriceMinor: totalMinor, discountMinor: 0, totalMinor }],
    version: 1,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

export function dealOf(contactId: string | null, overrides: Partial<Deal> = {}): Deal {
  const at = new Date().toISOString();
  return {
    id: randomUUID(),
    title: 'Fleet renewal',
    contactId,
    companyId: null,
    customerName: null,
    amountMinor: 500_000,
    currency: 'EUR',
    expectedCloseDate: null,
    ownerId: null,
    pipelineId: randomUUID(),
    stageId: randomUUID(),
    position: 'a0',
    status: 'open',
    lostReason: null,
    closedAt: null,
    stageEnteredAt: at,
    leadId: null,
    lines: [],
    version: 1,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

/** The events of one tenant's orders and deals, as the sales service publishes them. */
export class SalesEvents {
  constructor(readonly tenantId: string) {}

  recorded(order: Order): EventEnvelope {
    return testEnvelope(orderRecorded, { order }, { tenantId: this.tenantId, subject: order.id, version: order.version });
  }

  /** The order moved on to `status`, one version later. */
  statusChanged(order: Order, status: OrderStatus): { order: Order; envelope: EventEnvelope } {
    const next = { ...order, status, version: order.version + 1, updatedAt: new Date().toISOString() };
    return {
      order: next,
      envelope: testEnvelope(
        orderStatusChanged,
        { order: next, previousStatus: order.status },
        { tenantId: this.tenantId, subject: order.id, version: next.version },
      ),
    };
  }

  /** The order changed (the ERP's later facts), one version later. */
  updated(order: Order, changes: Partial<Order>): { order: Order; envelope: EventEnvelope } {
    const next = { ...order, ...changes, version: order.version + 1, updatedAt: new Date().toISOString() };
    const changed = Object.keys(changes);
    return { order: next, envelope: testEnvelope(orderUpdated, { order: next, changed }, { tenantId: this.tenantId, subject: order.id, version: next.version }) };
  }

  dealCreated(deal: Deal): EventEnvelope {
    return testEnvelope(dealCreated, { deal }, { tenantId: this.tenantId, subject: deal.id, version: deal.version });
  }

  dealWon(deal: Deal): EventEnvelope {
    const won = { ...deal, status: 'won' as const, closedAt: new Date().toISOString(), version: deal.version + 1 };
    return testEnvelope(dealWon, { deal: won }, { tenantId: this.tenantId, subject: deal.id, version: won.version });
  }
}
