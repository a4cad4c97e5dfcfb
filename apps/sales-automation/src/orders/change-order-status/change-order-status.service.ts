import { Injectable } from '@nestjs/common';
import { changeOrderStatus, DomainError, Order, ORDER_TRANSITIONS, orderStatusChanged, RpcRequest } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { checkVersion, conflictOn, notFound } from '../../products/sales-errors';
import { OrderRepository } from '../order.repository';
import { toOrder } from '../order.table';

/**
 * Moves an order along placed → paid → shipped, to cancelled before it ships, to refunded once
 * paid. Another change answers 409 `INVALID_STATUS_TRANSITION` naming `status`; the same status
 * again answers the order as it is (same version, no event).
 */
@Injectable()
export class ChangeOrderStatusService {
  constructor(
    private readonly orders: OrderRepository,
    private readonly events: EventPublisher,
  ) {}

  @Transactional()
  async change(tenantId: string, { id, expectedVersion, status }: RpcRequest<typeof changeOrderStatus>): Promise<Order> {
    const row = await this.orders.lock(tenantId, id);
    if (!row) throw notFound('Order', id);
    const before = toOrder(row);
    checkVersion(expectedVersion, before.version);
    if (status === before.status) return before;
    if (!ORDER_TRANSITIONS[before.status].includes(status)) {
      const allowed = ORDER_TRANSITIONS[before.status];
      throw conflictOn(
        'INVALID_STATUS_TRANSITION',
        'status',
        `An order ${before.status} cannot become ${status}${allowed.length ? ` (only ${allowed.join(', ')})` : ''}.`,
      );
    }
    const updated = await this.orders.setStatus(tenantId, id, before.version, status);
    if (!updated) throw new DomainError('PRECONDITION_FAILED', 'The order changed meanwhile; read it again.');
    const order = toOrder(updated);
    await this.events.publish(orderStatusChanged, { order, previousStatus: before.status }, { tenantId, subject: id, entityVersion: order.version });
    return order;
  }
}
