import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Actor, listOrders } from '@crm/contracts';
import { CurrentActor } from '../../../authz/current-actor.decorator';
import { RequirePermission } from '../../../authz/require-permission.decorator';
import { ServiceBus } from '../../../edge/service-bus';
import { UuidParamPipe } from '@crm/service-kit';
import { ZodValidationPipe } from '@crm/service-kit';
import { ApiZodResponse } from '@crm/service-kit';
import { ListContactOrdersQuery, listContactOrdersQuerySchema } from './orders.dto';

/** A contact's purchase history: the order list with the contact as its filter (no orders, or another tenant's contact: an empty page). */
@Controller('api/v1/contacts')
export class ContactOrdersController {
  constructor(private readonly bus: ServiceBus) {}

  @ApiOperation({ operationId: 'listContactOrders', summary: "A contact's orders, newest first (filter: status, purchase dates)" })
  @ApiZodResponse(200, listOrders.response)
  @Get(':id/orders')
  @RequirePermission('orders', 'read')
  list(
    @Param('id', new UuidParamPipe()) contactId: string,
    @Query(new ZodValidationPipe(listContactOrdersQuerySchema)) query: ListContactOrdersQuery,
    @CurrentActor() actor: Actor,
  ) {
    const { cursor, limit, ...filter } = query;
    return this.bus.relay(listOrders, { filter: { ...filter, contactId }, cursor, limit }, actor);
  }
}
