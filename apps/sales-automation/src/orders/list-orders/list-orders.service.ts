import { Injectable } from '@nestjs/common';
import { listOrders, Order, RpcRequest } from '@crm/contracts';
import { cursorKey, keysetPage } from '@crm/service-kit';
import { SalesCursors } from '../../shared/sales-cursors';
import { ORDER_HISTORY_ORDER, OrderRepository } from '../order.repository';
import { toOrder } from '../order.table';

/** One page of purchase history, newest first: a contact's (or company's) through its (tenant, customer, purchased_at, id) index. */
@Injectable()
export class ListOrdersService {
  constructor(
    private readonly orders: OrderRepository,
    private readonly cursors: SalesCursors,
  ) {}

  async list(tenantId: string, { filter, cursor, limit }: RpcRequest<typeof listOrders>): Promise<{ data: Order[]; nextCursor: string | null }> {
    const order = ORDER_HISTORY_ORDER.name;
    const rows = await this.orders.list(tenantId, filter, this.cursors.decode(cursor, order), limit);
    const { page, nextCursor } = keysetPage(
      rows,
      limit,
      { name: order, byRelevance: false, sortKey: (row) => cursorKey(new Date(row.purchased_at)) },
      this.cursors,
    );
    return { data: page.map(toOrder), nextCursor };
  }
}
