import { Injectable } from '@nestjs/common';
import { CampaignRepository } from './campaign.repository';
import { EngagementRepository } from './tracking/engagement.repository';

/** What the contact's merged and erased events do to campaign recipients (called by the local copies, in the event's transaction). */
@Injectable()
export class CampaignContactLifecycle {
  constructor(
    private readonly repository: CampaignRepository,
    private readonly engagements: EngagementRepository,
  ) {}

  /** Nothing of the contact stays: its places in campaigns (and their send details), its opens and clicks are deleted. */
  async erased(tenantId: string, contactId: string): Promise<void> {
    await this.repository.deleteRecipientsOf(tenantId, contactId);
    await this.engagements.deleteForContact(tenantId, contactId);
  }

  /** The merged contact's places become the survivor's (a campaign reaches a person once), and so do its opens and clicks. */
  async merged(tenantId: string, mergedId: string, survivorId: string): Promise<void> {
    await this.repository.moveRecipients(tenantId, mergedId, survivorId);
    await this.engagements.moveToSurvivor(tenantId, mergedId, survivorId);
  }
}
