import { Controller } from '@nestjs/common';
import { getOrder, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { notFound } from '../../products/sales-errors';
import { OrderRepository } from '../order.repository';
import { toOrder } from '../order.table';

@Controller()
export class GetOrderHandler {
  constructor(private readonly orders: OrderRepository) {}

  @OnRpc(getOrder, { scope: 'tenant' })
  async handle({ id }: RpcRequest<typeof getOrder>, { tenantId }: TenantCallContext) {
    const row = await this.orders.find(tenantId, id);
    if (!row) throw notFound('Order', id);
    return toOrder(row);
  }
}
