import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Res } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Actor, defineTicketField, deleteTicketField, listTicketFields, ticketFieldInputSchema, ticketFieldPatchSchema, updateTicketField } from '@crm/contracts';
import { ApiZodResponse, UuidParamPipe, VersionEtag, versionFromIfMatch, ZodValidationPipe } from '@crm/service-kit';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { CurrentActor } from '../../authz/current-actor.decorator';
import { RequirePermission } from '../../authz/require-permission.decorator';
import { ServiceBus } from '../../edge/service-bus';

/** The tenant's own ticket fields (order number, product, region...): their values go in a ticket's `customFields`. */
@Controller('api/v1/ticket-fields')
@VersionEtag()
export class TicketFieldsController {
  constructor(private readonly bus: ServiceBus) {}

  @ApiOperation({ operationId: 'listTicketFields', summary: "List the tenant's ticket fields" })
  @ApiZodResponse(200, listTicketFields.response)
  @Get()
  @RequirePermission('ticket-fields', 'read')
  list(@CurrentActor() actor: Actor) {
    return this.bus.relay(listTicketFields, {}, actor);
  }

  @ApiOperation({ operationId: 'defineTicketField', summary: 'Add a ticket field (a key once: 409 again); text, number, date, boolean or select; optionally required to solve' })
  @ApiZodResponse(201, defineTicketField.response)
  @Post()
  @RequirePermission('ticket-fields', 'create')
  async define(@Body(new ZodValidationPipe(ticketFieldInputSchema)) field: z.infer<typeof ticketFieldInputSchema>, @CurrentActor() actor: Actor, @Res({ passthrough: true }) reply: FastifyReply) {
    const created = await this.bus.call(defineTicketField, { field }, actor, { bodyAt: 'field' });
    void reply.status(201).header('location', `/api/v1/ticket-fields/${created.id}`);
    return created;
  }

  @ApiOperation({ operationId: 'updateTicketField', summary: 'Change a field’s label, options or whether it is required to solve (If-Match: conditional; 409 when tickets hold a removed option)' })
  @ApiZodResponse(200, updateTicketField.response)
  @Patch(':id')
  @RequirePermission('ticket-fields', 'update')
  update(
    @Param('id', new UuidParamPipe()) id: string,
    @Body(new ZodValidationPipe(ticketFieldPatchSchema)) patch: z.infer<typeof ticketFieldPatchSchema>,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentActor() actor: Actor,
  ) {
    return this.bus.call(updateTicketField, { id, patch, expectedVersion: versionFromIfMatch(ifMatch) }, actor, { bodyAt: 'patch' });
  }

  @ApiOperation({ operationId: 'deleteTicketField', summary: 'Delete a field and its values on every ticket' })
  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('ticket-fields', 'delete')
  async delete(@Param('id', new UuidParamPipe()) id: string, @CurrentActor() actor: Actor): Promise<void> {
    await this.bus.call(deleteTicketField, { id }, actor);
  }
}
