import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Actor, getFieldOwnership, listSyncLog, setFieldOwnership, SyncObject } from '@crm/contracts';
import { ApiZodResponse, ZodValidationPipe } from '@crm/service-kit';
import { CurrentActor } from '../authz/current-actor.decorator';
import { RequirePermission } from '../authz/require-permission.decorator';
import { ServiceBus } from '../edge/service-bus';
import { ListSyncLogQuery, listSyncLogQuerySchema, SetFieldOwnershipBody, setFieldOwnershipBodySchema, syncObjectParamSchema } from './integration-sync.dto';

/** Tenant admins' view of the ERP sync: which side owns each field, and the sync log. Answered by the integration gateway over the bus. */
@Controller('api/v1/integrations')
export class IntegrationSyncController {
  constructor(private readonly bus: ServiceBus) {}

  @ApiOperation({ operationId: 'getFieldOwnership', summary: "Which side (crm or erp) owns each field of an object; fields not listed are the ERP's" })
  @ApiZodResponse(200, getFieldOwnership.response)
  @Get('field-ownership/:object')
  @RequirePermission('integrations', 'read')
  getOwnership(@Param('object', new ZodValidationPipe(syncObjectParamSchema)) object: SyncObject, @CurrentActor() actor: Actor) {
    return this.bus.call(getFieldOwnership, { object }, actor);
  }

  @ApiOperation({ operationId: 'setFieldOwnership', summary: 'Replace the field ownership of an object (an ERP change to a CRM-owned field becomes a conflict in the sync log)' })
  @ApiZodResponse(200, setFieldOwnership.response)
  @Put('field-ownership/:object')
  @RequirePermission('integrations', 'update')
  setOwnership(
    @Param('object', new ZodValidationPipe(syncObjectParamSchema)) object: SyncObject,
    @Body(new ZodValidationPipe(setFieldOwnershipBodySchema)) body: SetFieldOwnershipBody,
    @CurrentActor() actor: Actor,
  ) {
    return this.bus.call(setFieldOwnership, { object, fields: body.fields }, actor);
  }

  @ApiOperation({ operationId: 'listSyncLog', summary: 'The sync log: every inbound item and outbound delivery, newest first, by record or external id' })
  @ApiZodResponse(200, listSyncLog.response)
  @Get('sync-log')
  @RequirePermission('integrations', 'read')
  syncLog(@Query(new ZodValidationPipe(listSyncLogQuerySchema)) query: ListSyncLogQuery, @CurrentActor() actor: Actor) {
    const { cursor, limit, ...filter } = query;
    return this.bus.relay(listSyncLog, { filter, cursor, limit }, actor);
  }
}
