import { Injectable } from '@nestjs/common';
import { Campaign, RpcRequest, updateCampaign } from '@crm/contracts';
import { Clock } from '@crm/service-kit';
import { Transactional } from '@nestjs-cls/transactional';
import { CampaignChecks } from '../campaign-checks';
import { campaignChangedMeanwhile, campaignNotFound, checkVersion, wrongCampaignStatus } from '../campaign-errors';
import { CampaignEvents } from '../campaign-events';
import { CampaignRepository } from '../campaign.repository';

/** A draft or scheduled campaign changes (once sending, only cancel stops it); setting or clearing the time schedules or unschedules it. */
@Injectable()
export class UpdateCampaignService {
  constructor(
    private readonly repository: CampaignRepository,
    private readonly checks: CampaignChecks,
    private readonly campaignEvents: CampaignEvents,
    private readonly clock: Clock,
  ) {}

  @Transactional()
  async update(tenantId: string, { id, expectedVersion, patch }: RpcRequest<typeof updateCampaign>): Promise<Campaign> {
    const row = await this.repository.find(tenantId, id);
    if (!row) throw campaignNotFound(id);
    checkVersion(expectedVersion, row.version);
    if (row.status !== 'draft' && row.status !== 'scheduled') throw wrongCampaignStatus('changed', row.status);
    await this.checks.check(tenantId, patch, 'patch.');
    const scheduledAt = patch.scheduledAt === undefined ? undefined : patch.scheduledAt === null ? null : new Date(patch.scheduledAt);
    const updated = await this.repository.update(
      tenantId,
      id,
      row.version,
      {
        name: patch.name,
        segment: patch.segment,
        ...(patch.content && {
          contentKind: patch.content.kind,
          contentId: patch.content.kind === 'template' ? patch.content.templateId : patch.content.sequenceId,
        }),
        scheduledAt,
        ratePerMinute: patch.ratePerMinute,
        ...(scheduledAt !== undefined && { status: scheduledAt ? 'scheduled' : 'draft' }),
      },
      this.clock.now(),
    );
    if (!updated) throw campaignChangedMeanwhile();
    const [campaign] = await this.campaignEvents.updated([updated], Object.keys(patch));
    return campaign;
  }
}
