import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Campaign, campaignCreated, createCampaign, RpcRequest } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Clock } from '@crm/service-kit';
import { Transactional } from '@nestjs-cls/transactional';
import { CampaignChecks } from '../campaign-checks';
import { toCampaign } from '../campaign.mapper';
import { CampaignRepository } from '../campaign.repository';

/** A new campaign: a draft without a time, scheduled with one (launched by the runner when it comes). */
@Injectable()
export class CreateCampaignService {
  constructor(
    private readonly repository: CampaignRepository,
    private readonly checks: CampaignChecks,
    private readonly events: EventPublisher,
    private readonly clock: Clock,
  ) {}

  @Transactional()
  async create(tenantId: string, { campaign: input }: RpcRequest<typeof createCampaign>): Promise<Campaign> {
    await this.checks.check(tenantId, input, 'campaign.');
    const row = await this.repository.insert(
      tenantId,
      {
        id: randomUUID(),
        name: input.name,
        segment: input.segment,
        contentKind: input.content.kind,
        contentId: input.content.kind === 'template' ? input.content.templateId : input.content.sequenceId,
        scheduledAt: input.scheduledAt ? new Date(input.scheduledAt) : null,
        ratePerMinute: input.ratePerMinute,
        status: input.scheduledAt ? 'scheduled' : 'draft',
      },
      this.clock.now(),
    );
    const campaign = toCampaign(row);
    await this.events.publish(campaignCreated, { campaign }, { tenantId, subject: row.id, entityVersion: row.version });
    return campaign;
  }
}
