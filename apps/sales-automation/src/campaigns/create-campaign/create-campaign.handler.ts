import { Controller } from '@nestjs/common';
import { createCampaign, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { CreateCampaignService } from './create-campaign.service';

@Controller()
export class CreateCampaignHandler {
  constructor(private readonly service: CreateCampaignService) {}

  @OnRpc(createCampaign, { scope: 'tenant' })
  handle(request: RpcRequest<typeof createCampaign>, { tenantId }: TenantCallContext) {
    return this.service.create(tenantId, request);
  }
}
