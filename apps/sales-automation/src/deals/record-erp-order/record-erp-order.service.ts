import { Injectable } from '@nestjs/common';
import { Deal, dealErpOrderRecorded, dealUpdated, DomainError, recordDealErpOrder, RpcRequest } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { conflictOn } from '../../products/sales-errors';
import { DealLookup } from '../deal-lookup';
import { toDeal } from '../deal.mapper';
import { DealRepository } from '../deal.repository';

/**
 * The ERP's acknowledgement of a won deal's sales order: its number lands on the deal once. The
 * same system and number again answer the deal as it is (a retried acknowledgement, no event);
 * another number answers 409 `ERP_ORDER_EXISTS`; a deal not won answers 409 `DEAL_NOT_WON`.
 */
@Injectable()
export class RecordErpOrderService {
  constructor(
    private readonly lookup: DealLookup,
    private readonly deals: DealRepository,
    private readonly events: EventPublisher,
  ) {}

  @Transactional()
  async record(tenantId: string, { id, system, orderNumber }: RpcRequest<typeof recordDealErpOrder>): Promise<Deal> {
    const before = await this.lookup.locked(tenantId, id, undefined);
    if (before.erp_order_number !== null) {
      if (before.erp_order_number === orderNumber && before.erp_system === system) return toDeal(before);
      throw conflictOn('ERP_ORDER_EXISTS', 'orderNumber', `The deal has the ERP order ${before.erp_system} ${before.erp_order_number} already.`, {
        erpOrder: { system: before.erp_system, orderNumber: before.erp_order_number },
      });
    }
    if (before.status !== 'won') throw conflictOn('DEAL_NOT_WON', 'id', `The deal is ${before.status}: only a won deal has a sales order.`);
    const now = new Date();
    const row = await this.deals.update(tenantId, id, before.version, {
      erp_order_number: orderNumber,
      erp_system: system,
      erp_order_acknowledged_at: now,
      updated_at: now,
    });
    if (!row) throw new DomainError('PRECONDITION_FAILED', 'The deal changed meanwhile; read it again.');
    const deal = toDeal(row);
    const meta = { tenantId, subject: id, entityVersion: deal.version };
    await this.events.publish(dealErpOrderRecorded, { dealId: id, system, orderNumber, acknowledgedAt: now.toISOString(), deal }, meta);
    await this.events.publish(dealUpdated, { deal, changed: ['erpOrder'] }, meta);
    return deal;
  }
}
