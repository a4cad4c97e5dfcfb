import { isDeepStrictEqual } from 'node:util';
import { Injectable } from '@nestjs/common';
import { Deal, dealUpdated, DomainError, RpcRequest, updateDeal } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { CustomerNames } from '../customer-names';
import { dealLines } from '../deal-lines';
import { DealLookup } from '../deal-lookup';
import { toDeal } from '../deal.mapper';
import { DealRepository } from '../deal.repository';

const FIELDS = ['title', 'contactId', 'companyId', 'customerName', 'amountMinor', 'currency', 'lines', 'expectedCloseDate', 'ownerId'] as const;

/** Patch semantics (absent fields stay, lines replace); a patch that changes nothing answers the deal as it is (same version, no event). */
@Injectable()
export class UpdateDealService {
  constructor(
    private readonly lookup: DealLookup,
    private readonly deals: DealRepository,
    private readonly customers: CustomerNames,
    private readonly events: EventPublisher,
  ) {}

  @Transactional()
  async update(tenantId: string, { id, expectedVersion, patch }: RpcRequest<typeof updateDeal>): Promise<Deal> {
    const before = toDeal(await this.lookup.locked(tenantId, id, expectedVersion));
    const next: Deal = {
      ...before,
      ...Object.fromEntries(Object.entries(patch).filter(([key, value]) => value !== undefined && key !== 'lines')),
      ...(patch.lines && { lines: dealLines(patch.lines, 'patch.lines') }),
    };
    if (next.contactId !== before.contactId || next.companyId !== before.companyId) {
      next.customerName = await this.customers.of(tenantId, next.contactId, next.companyId);
    }
    const changed = FIELDS.filter((field) => !isDeepStrictEqual(next[field], before[field]));
    if (!changed.length) return before;
    const row = await this.deals.update(tenantId, id, before.version, {
      title: next.title,
      contact_id: next.contactId,
      company_id: next.companyId,
      customer_name: next.customerName,
      amount_minor: String(next.amountMinor),
      currency: next.currency,
      lines: JSON.stringify(next.lines),
      expected_close_date: next.expectedCloseDate,
      owner_id: next.ownerId,
      updated_at: new Date(),
    });
    if (!row) throw new DomainError('PRECONDITION_FAILED', 'The deal changed meanwhile; read it again.');
    const deal = toDeal(row);
    await this.events.publish(dealUpdated, { deal, changed: [...changed] }, { tenantId, subject: id, entityVersion: deal.version });
    return deal;
  }
}
