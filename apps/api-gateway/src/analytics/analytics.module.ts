import { Module } from '@nestjs/common';
import { AnalyticsSummaryController } from './summary/summary.controller';

/** Analytics routes, answered by the analytics service over the bus. */
@Module({ controllers: [AnalyticsSummaryController] })
export class AnalyticsRoutesModule {}
