import { Controller, Injectable } from '@nestjs/common';
import { Campaign, cancelCampaign, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { Clock } from '@crm/service-kit';
import { Transactional } from '@nestjs-cls/transactional';
import { campaignChangedMeanwhile, campaignNotFound, checkVersion, wrongCampaignStatus } from '../campaign-errors';
import { CampaignEvents } from '../campaign-events';
import { CampaignRepository } from '../campaign.repository';

const CANCELLABLE = ['draft', 'scheduled', 'sending'];

/** Stops a campaign that has not finished: recipients not reached yet are skipped (`cancelled`). */
@Injectable()
export class CancelCampaignService {
  constructor(
    private readonly repository: CampaignRepository,
    private readonly campaignEvents: CampaignEvents,
    private readonly clock: Clock,
  ) {}

  @Transactional()
  async cancel(tenantId: string, { id, expectedVersion }: RpcRequest<typeof cancelCampaign>): Promise<Campaign> {
    const row = await this.repository.find(tenantId, id);
    if (!row) throw campaignNotFound(id);
    checkVersion(expectedVersion, row.version);
    if (!CANCELLABLE.includes(row.status)) throw wrongCampaignStatus('cancelled', row.status);
    const now = this.clock.now();
    const updated = await this.repository.update(tenantId, id, row.version, { status: 'cancelled', finishedAt: now }, now);
    if (!updated) throw campaignChangedMeanwhile();
    await this.repository.skipPending(id, now);
    const [campaign] = await this.campaignEvents.updated([updated], ['status']);
    return campaign;
  }
}

@Controller()
export class CancelCampaignHandler {
  constructor(private readonly service: CancelCampaignService) {}

  @OnRpc(cancelCampaign, { scope: 'tenant' })
  handle(request: RpcRequest<typeof cancelCampaign>, { tenantId }: TenantCallContext) {
    return this.service.cancel(tenantId, request);
  }
}
