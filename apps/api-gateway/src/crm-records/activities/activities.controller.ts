import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Actor, listContactActivities } from '@crm/contracts';
import { CurrentActor } from '../../authz/current-actor.decorator';
import { RequirePermission } from '../../authz/require-permission.decorator';
import { ServiceBus } from '../../edge/service-bus';
import { UuidParamPipe } from '@crm/service-kit';
import { ZodValidationPipe } from '@crm/service-kit';
import { ApiZodResponse } from '@crm/service-kit';
import { ListActivitiesQuery, listActivitiesQuerySchema } from './activities.dto';

/** A contact's orders and deals (from the sales service), beside its interactions on the timeline. */
@Controller('api/v1/contacts/:contactId/activities')
export class ActivitiesController {
  constructor(private readonly bus: ServiceBus) {}

  @ApiOperation({
    operationId: 'listContactActivities',
    summary: "A contact's orders and deals, newest first (orders by purchase time, deals by creation)",
  })
  @ApiZodResponse(200, listContactActivities.response)
  @Get()
  @RequirePermission('interactions', 'read')
  list(
    @Param('contactId', new UuidParamPipe('contactId')) contactId: string,
    @Query(new ZodValidationPipe(listActivitiesQuerySchema)) query: ListActivitiesQuery,
    @CurrentActor() actor: Actor,
  ) {
    return this.bus.relay(listContactActivities, { contactId, ...query }, actor);
  }
}
