import { Injectable } from '@nestjs/common';
import { CampaignRepository } from './campaign.repository';

/** What the contact's merged and erased events do to campaign recipients (called by the local copies, in the event's transaction). */
@Injectable()
export class CampaignContactLifecycle {
  constructor(private readonly repository: CampaignRepository) {}

  /** Nothing of the contact stays: its places in campaigns (and their send details) are deleted. */
  erased(tenantId: string, contactId: string): Promise<void> {
    return this.repository.deleteRecipientsOf(tenantId, contactId);
  }

  /** The merged contact's places become the survivor's; a campaign reaches a person once. */
  merged(tenantId: string, mergedId: string, survivorId: string): Promise<void> {
    return this.repository.moveRecipients(tenantId, mergedId, survivorId);
  }
}
