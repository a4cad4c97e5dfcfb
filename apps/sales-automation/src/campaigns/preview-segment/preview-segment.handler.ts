import { Controller } from '@nestjs/common';
import { previewCampaignSegment, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { Clock } from '@crm/service-kit';
import { CampaignRepository } from '../campaign.repository';

const SAMPLE = 10;

/** How many contacts a segment matches now, with the first few: a segment checked before it is scheduled. */
@Controller()
export class PreviewSegmentHandler {
  constructor(
    private readonly repository: CampaignRepository,
    private readonly clock: Clock,
  ) {}

  @OnRpc(previewCampaignSegment, { scope: 'tenant' })
  async handle({ segment }: RpcRequest<typeof previewCampaignSegment>, { tenantId }: TenantCallContext) {
    const { count, sample } = await this.repository.matching(tenantId, segment, this.clock.now(), SAMPLE);
    return { count, sample: sample.map((row) => ({ contactId: row.id, email: row.email })) };
  }
}
