import { Module } from '@nestjs/common';
import { CampaignsController } from './campaigns.controller';

/** The campaigns routes, answered by the sales-automation service over the bus. */
@Module({ controllers: [CampaignsController] })
export class CampaignsRoutesModule {}
