import { Controller } from '@nestjs/common';
import { RpcRequest, updateCampaign } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { UpdateCampaignService } from './update-campaign.service';

@Controller()
export class UpdateCampaignHandler {
  constructor(private readonly service: UpdateCampaignService) {}

  @OnRpc(updateCampaign, { scope: 'tenant' })
  handle(request: RpcRequest<typeof updateCampaign>, { tenantId }: TenantCallContext) {
    return this.service.update(tenantId, request);
  }
}
