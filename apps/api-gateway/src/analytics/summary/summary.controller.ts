import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Actor, getAnalyticsSummary } from '@crm/contracts';
import { z } from 'zod';
import { CurrentActor } from '../../authz/current-actor.decorator';
import { RequirePermission } from '../../authz/require-permission.decorator';
import { ServiceBus } from '../../edge/service-bus';
import { ZodValidationPipe } from '@crm/service-kit';
import { ApiZodResponse } from '@crm/service-kit';

const summaryQuerySchema = z.object({ windowDays: z.coerce.number().int().min(1).max(365).default(30) });
type SummaryQuery = z.infer<typeof summaryQuerySchema>;

/** The tenant's figures: contacts by lifecycle stage, companies, interactions by channel over the window. */
@Controller('api/v1/analytics')
export class AnalyticsSummaryController {
  constructor(private readonly bus: ServiceBus) {}

  @ApiOperation({ operationId: 'getAnalyticsSummary', summary: "The organisation's figures: contacts, companies, interactions" })
  @ApiZodResponse(200, getAnalyticsSummary.response)
  @Get('summary')
  @RequirePermission('analytics', 'read')
  summary(@Query(new ZodValidationPipe(summaryQuerySchema)) query: SummaryQuery, @CurrentActor() actor: Actor) {
    return this.bus.call(getAnalyticsSummary, query, actor);
  }
}
