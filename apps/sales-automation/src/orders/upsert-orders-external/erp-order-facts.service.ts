import { isDeepStrictEqual } from 'node:util';
import { Injectable } from '@nestjs/common';
import { DomainError, Order, ORDER_TRANSITIONS, orderExternalUpdateSchema, orderStatusChanged, orderUpdated } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import type { z } from 'zod';
import { conflictOn, notFound } from '../../products/sales-errors';
import { OrderRepository } from '../order.repository';
import { toOrder } from '../order.table';

export type ErpOrderPatch = z.infer<typeof orderExternalUpdateSchema>;
const iso = (value: string | null | undefined) => (value ? new Date(value).toISOString() : null);

/**
 * A recorded order takes the ERP's later facts (one item of a batch; it joins the command's transaction):
 * the status by the allowed transitions (409 INVALID_STATUS_TRANSITION naming `status`), the
 * invoice, the payment status and time. `order.status-changed.v1` when the status changed,
 * `order.updated.v1` naming the other fields that did; nothing when nothing differs.
 */
@Injectable()
export class ErpOrderFactsService {
  constructor(
    private readonly orders: OrderRepository,
    private readonly events: EventPublisher,
  ) {}

  @Transactional()
  async apply(tenantId: string, id: string, patch: ErpOrderPatch): Promise<{ order: Order; changed: boolean }> {
    const row = await this.orders.lock(tenantId, id);
    if (!row) throw notFound('Order', id);
    const before = toOrder(row);
    const status = patch.status ?? before.status;
    if (status !== before.status && !ORDER_TRANSITIONS[before.status].includes(status)) {
      const allowed = ORDER_TRANSITIONS[before.status];
      throw conflictOn(
        'INVALID_STATUS_TRANSITION',
        'status',
        `An order ${before.status} cannot become ${status}${allowed.length ? ` (only ${allowed.join(', ')})` : ''}.`,
      );
    }
    const next = {
      invoice:
        patch.invoice === undefined
          ? (before.invoice ?? null)
          : patch.invoice && { number: patch.invoice.number, status: patch.invoice.status, issuedAt: iso(patch.invoice.issuedAt), dueAt: iso(patch.invoice.dueAt) },
      paymentStatus: patch.paymentStatus === undefined ? (before.paymentStatus ?? null) : patch.paymentStatus,
      paidAt: patch.paidAt === undefined ? (before.paidAt ?? null) : iso(patch.paidAt),
    };
    const changed = (['invoice', 'paymentStatus', 'paidAt'] as const).filter((field) => !isDeepStrictEqual(next[field], before[field] ?? null));
    if (status === before.status && !changed.length) return { order: before, changed: false };
    const updated = await this.orders.setErpFacts(tenantId, id, before.version, {
      status,
      invoice_number: next.invoice?.number ?? null,
      invoice_status: next.invoice?.status ?? null,
      invoice_issued_at: next.invoice?.issuedAt ?? null,
      invoice_due_at: next.invoice?.dueAt ?? null,
      payment_status: next.paymentStatus,
      paid_at: next.paidAt,
    });
    if (!updated) throw new DomainError('PRECONDITION_FAILED', 'The order changed meanwhile; read it again.');
    const order = toOrder(updated);
    const meta = { tenantId, subject: id, entityVersion: order.version };
    if (status !== before.status) await this.events.publish(orderStatusChanged, { order, previousStatus: before.status }, meta);
    if (changed.length) await this.events.publish(orderUpdated, { order, changed: [...changed] }, meta);
    return { order, changed: true };
  }
}
