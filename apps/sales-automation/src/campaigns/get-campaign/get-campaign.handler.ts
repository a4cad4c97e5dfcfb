import { Controller } from '@nestjs/common';
import { getCampaign, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { campaignNotFound } from '../campaign-errors';
import { toCampaign } from '../campaign.mapper';
import { CampaignRepository } from '../campaign.repository';

/** A campaign with what became of its recipients so far. */
@Controller()
export class GetCampaignHandler {
  constructor(private readonly repository: CampaignRepository) {}

  @OnRpc(getCampaign, { scope: 'tenant' })
  async handle({ id }: RpcRequest<typeof getCampaign>, { tenantId }: TenantCallContext) {
    const row = await this.repository.find(tenantId, id);
    if (!row) throw campaignNotFound(id);
    return toCampaign(row, (await this.repository.counts([id])).get(id));
  }
}
