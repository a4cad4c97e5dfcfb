import { Module } from '@nestjs/common';
import { IntegrationSyncController } from './integration-sync.controller';

/** Field ownership and the sync log routes, answered by the integration gateway over the bus. */
@Module({ controllers: [IntegrationSyncController] })
export class IntegrationSyncRoutesModule {}
