import { Module } from '@nestjs/common';
import { ApiClientsController } from './clients/api-clients.controller';

/** The integration gateway's admin side for tenant admins (API clients), answered by it over the bus. */
@Module({ controllers: [ApiClientsController] })
export class IntegrationsRoutesModule {}
