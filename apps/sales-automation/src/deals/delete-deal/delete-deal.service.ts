import { Injectable } from '@nestjs/common';
import { dealDeleted, deleteDeal, RpcRequest } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { DealLookup } from '../deal-lookup';
import { DealRepository } from '../deal.repository';

/** Soft delete: the deal leaves every list and board; its stage visit ends. */
@Injectable()
export class DeleteDealService {
  constructor(
    private readonly lookup: DealLookup,
    private readonly deals: DealRepository,
    private readonly events: EventPublisher,
  ) {}

  @Transactional()
  async delete(tenantId: string, { id, expectedVersion }: RpcRequest<typeof deleteDeal>) {
    const deal = await this.lookup.locked(tenantId, id, expectedVersion);
    const now = new Date();
    await this.deals.update(tenantId, id, deal.version, { deleted_at: now, updated_at: now });
    await this.deals.leaveStage(tenantId, id, now);
    await this.events.publish(dealDeleted, { dealId: id, deletedAt: now.toISOString() }, { tenantId, subject: id, entityVersion: deal.version + 1 });
    return { id, deleted: true as const };
  }
}
