import { Module } from '@nestjs/common';
import { JobsModule } from '../infrastructure/jobs/jobs.module';
import { SalesCursors } from '../shared/sales-cursors';
import { CancelCampaignHandler, CancelCampaignService } from './cancel-campaign/cancel-campaign.handler';
import { CampaignChecks } from './campaign-checks';
import { CampaignContactLifecycle } from './campaign-contact-lifecycle';
import { CampaignEvents } from './campaign-events';
import { CampaignRepository } from './campaign.repository';
import { CreateCampaignHandler } from './create-campaign/create-campaign.handler';
import { CreateCampaignService } from './create-campaign/create-campaign.service';
import { GetCampaignHandler } from './get-campaign/get-campaign.handler';
import { ListCampaignsHandler } from './list-campaigns/list-campaigns.handler';
import { PreviewSegmentHandler } from './preview-segment/preview-segment.handler';
import { CampaignRunner } from './run/campaign-runner';
import { RecipientBatch } from './run/recipient-batch';
import { UpdateCampaignHandler } from './update-campaign/update-campaign.handler';
import { UpdateCampaignService } from './update-campaign/update-campaign.service';
import { EmailLinkTracking } from '../automation-ports/email-link-tracking.port';
import { EmailLinkTrackingService } from './tracking/email-link-tracking.service';
import { EngagementRepository } from './tracking/engagement.repository';
import { RecordEngagementHandler, RecordEngagementService } from './tracking/record-engagement.handler';
import { TrackingTokens } from './tracking/tracking-token';

/**
 * Campaigns: a segment, a marketing template or a sequence, a schedule and a send rate; launched
 * and sent by the campaign runner. Provides the marketing mail's open and click tracking. Sends through EmailDispatch and enrols through
 * SequenceEnrolments (ports, looked up at run time).
 */
@Module({
  imports: [JobsModule],
  controllers: [
    CreateCampaignHandler,
    GetCampaignHandler,
    ListCampaignsHandler,
    UpdateCampaignHandler,
    CancelCampaignHandler,
    PreviewSegmentHandler,
    RecordEngagementHandler,
  ],
  providers: [
    CampaignRepository,
    CampaignChecks,
    CampaignEvents,
    SalesCursors,
    CreateCampaignService,
    UpdateCampaignService,
    CancelCampaignService,
    RecipientBatch,
    CampaignRunner,
    CampaignContactLifecycle,
    TrackingTokens,
    EngagementRepository,
    RecordEngagementService,
    EmailLinkTrackingService,
    { provide: EmailLinkTracking, useExisting: EmailLinkTrackingService },
  ],
  exports: [CampaignContactLifecycle, CampaignRunner],
})
export class CampaignsModule {}
