import { Controller } from '@nestjs/common';
import { DomainError, getOrderByExternalId, Order, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { OrderRepository } from '../order.repository';
import { toOrder } from '../order.table';

@Controller()
export class GetOrderExternalHandler {
  constructor(private readonly orders: OrderRepository) {}

  /** An order by its (system, external id); unknown and another tenant's answer the same 404. */
  @OnRpc(getOrderByExternalId, { scope: 'tenant' })
  async handle({ system, externalId }: RpcRequest<typeof getOrderByExternalId>, { tenantId }: TenantCallContext): Promise<Order> {
    const row = await this.orders.findByExternalId(tenantId, system, externalId);
    if (!row) throw new DomainError('NOT_FOUND', `Order ${system}/${externalId} not found.`);
    return toOrder(row);
  }
}
