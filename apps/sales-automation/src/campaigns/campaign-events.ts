import { Injectable } from '@nestjs/common';
import { Campaign, campaignUpdated } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { CampaignRow, toCampaign } from './campaign.mapper';
import { CampaignRepository } from './campaign.repository';

/** Publishes a campaign's change with its counts as they stand (in the caller's transaction, through the outbox). */
@Injectable()
export class CampaignEvents {
  constructor(
    private readonly repository: CampaignRepository,
    private readonly events: EventPublisher,
  ) {}

  async updated(rows: readonly CampaignRow[], changed: string[]): Promise<Campaign[]> {
    if (!rows.length) return [];
    const counts = await this.repository.counts(rows.map((row) => row.id));
    const campaigns = rows.map((row) => toCampaign(row, counts.get(row.id)));
    for (const campaign of campaigns) {
      await this.events.publish(
        campaignUpdated,
        { campaign, changed },
        { tenantId: rows.find((r) => r.id === campaign.id)!.tenant_id, subject: campaign.id, entityVersion: campaign.version },
      );
    }
    return campaigns;
  }
}
