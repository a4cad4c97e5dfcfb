import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ContractIssue, Order, orderRecorded, recordOrder, RpcRequest } from '@crm/contracts';
import { EventPublisher, type OutboxMessageValues } from '@crm/messaging';
import { ProductRepository } from '../../products/product.repository';
import { conflictOn, validationFailed, violatedConstraint } from '../../products/sales-errors';
import { priceOrder } from '../order-lines';
import { NewOrder, OrderRepository } from '../order.repository';

/**
 * Records a purchase: the lines' products read in one query, the lines priced and the totals
 * computed here, then the order, its lines and `order.recorded` written in one statement.
 * An external order recorded again answers 409 `EXTERNAL_ORDER_EXISTS` naming `order.externalId`
 * (with `existingOrderId`): importers read it rather than double the customer's history.
 */
@Injectable()
export class RecordOrderService {
  constructor(
    private readonly orders: OrderRepository,
    private readonly products: ProductRepository,
    private readonly events: EventPublisher,
  ) {}

  async record(tenantId: string, { order: input }: RpcRequest<typeof recordOrder>): Promise<Order> {
    const issues: ContractIssue[] = [];
    if (!input.contactId && !input.companyId) issues.push({ path: 'order.contactId', message: 'an order needs a contact or a company (or both)' });
    if ((input.externalId === undefined) !== (input.externalSystem === undefined)) {
      issues.push({ path: input.externalId === undefined ? 'order.externalId' : 'order.externalSystem', message: 'externalId and externalSystem go together' });
    }
    const productIds = [...new Set(input.lines.flatMap((line) => (line.productId ? [line.productId] : [])))];
    const priced = priceOrder(input, await this.products.priced(tenantId, productIds));
    if (!priced.ok) issues.push(...priced.issues);
    if (issues.length || !priced.ok) throw validationFailed(issues);
    if (input.externalId && input.externalSystem) await this.checkNotRecorded(tenantId, input.externalSystem, input.externalId);
    const now = new Date().toISOString();
    const order: Order = {
      id: randomUUID(),
      contactId: input.contactId ?? null,
      companyId: input.companyId ?? null,
      currency: input.currency,
      ...priced.order,
      purchasedAt: new Date(input.purchasedAt).toISOString(),
      channel: input.channel,
      status: input.status,
      externalId: input.externalId ?? null,
      externalSystem: input.externalSystem ?? null,
      invoice: input.invoice
        ? {
            number: input.invoice.number,
            status: input.invoice.status,
            issuedAt: input.invoice.issuedAt ? new Date(input.invoice.issuedAt).toISOString() : null,
            dueAt: input.invoice.dueAt ? new Date(input.invoice.dueAt).toISOString() : null,
          }
        : null,
      paymentStatus: input.paymentStatus ?? null,
      paidAt: input.paidAt ? new Date(input.paidAt).toISOString() : null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    const record: NewOrder = {
      id: order.id,
      tenant_id: tenantId,
      contact_id: order.contactId,
      company_id: order.companyId,
      currency: order.currency,
      subtotal_minor: String(order.subtotalMinor),
      discount_minor: String(order.discountMinor),
      total_minor: String(order.totalMinor),
      purchased_at: order.purchasedAt,
      channel: order.channel,
      status: order.status,
      external_id: order.externalId,
      external_system: order.externalSystem,
      invoice_number: order.invoice?.number ?? null,
      invoice_status: order.invoice?.status ?? null,
      invoice_issued_at: order.invoice?.issuedAt ?? null,
      invoice_due_at: order.invoice?.dueAt ?? null,
      payment_status: order.paymentStatus ?? null,
      paid_at: order.paidAt ?? null,
      version: order.version,
      created_at: now,
      updated_at: now,
    };
    const meta = { tenantId, subject: order.id, entityVersion: order.version };
    const insert = (outbox: OutboxMessageValues) => this.orders.insertStatement(record, order.lines, outbox);
    if (!order.externalId || !order.externalSystem) {
      // Nothing it can fail on is answered otherwise: the insert goes with the COMMIT.
      await this.events.publishWithCommit(orderRecorded, { order }, meta, insert);
      return order;
    }
    try {
      // Run now: a copy recorded meanwhile (the ERP's id is unique) is answered as such.
      await this.events.publishAlong(orderRecorded, { order }, meta, (outbox) => this.orders.run(insert(outbox)));
    } catch (error) {
      // Recorded meanwhile by a concurrent call: the statement failed, and with it the command's transaction.
      if (violatedConstraint(error) === undefined) throw error;
      throw externalOrderExists(order.externalSystem, order.externalId, null);
    }
    return order;
  }

  private async checkNotRecorded(tenantId: string, externalSystem: string, externalId: string): Promise<void> {
    const existingOrderId = await this.orders.findExternal(tenantId, externalSystem, externalId);
    if (existingOrderId) throw externalOrderExists(externalSystem, externalId, existingOrderId);
  }
}

function externalOrderExists(externalSystem: string, externalId: string, existingOrderId: string | null) {
  return conflictOn('EXTERNAL_ORDER_EXISTS', 'externalId', `${externalSystem} order ${externalId} is recorded already.`, { existingOrderId });
}
