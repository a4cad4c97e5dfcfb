import { Module } from '@nestjs/common';
import { DealsController } from './deals/deals.controller';
import { PipelinesController } from './pipelines/pipelines.controller';

/** The pipelines and deals routes, answered by the sales-automation service over the bus. */
@Module({ controllers: [PipelinesController, DealsController] })
export class SalesDealsModule {}
