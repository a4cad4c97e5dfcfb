import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Res } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Actor, applyMacro, createMacro, deleteMacro, listMacros, macroInputSchema, macroPatchSchema, updateMacro } from '@crm/contracts';
import { ApiZodResponse, UuidParamPipe, VersionEtag, versionFromIfMatch, ZodValidationPipe } from '@crm/service-kit';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { CurrentActor } from '../../authz/current-actor.decorator';
import { RequirePermission } from '../../authz/require-permission.decorator';
import { ServiceBus } from '../../edge/service-bus';

/** Macros: canned replies (Liquid templates) that also set fields and tags. */
@Controller('api/v1/macros')
@VersionEtag()
export class MacrosController {
  constructor(private readonly bus: ServiceBus) {}

  @ApiOperation({ operationId: 'listMacros', summary: 'List the macros' })
  @ApiZodResponse(200, listMacros.response)
  @Get()
  @RequirePermission('macros', 'read')
  list(@CurrentActor() actor: Actor) {
    return this.bus.relay(listMacros, {}, actor);
  }

  @ApiOperation({ operationId: 'createMacro', summary: 'Add a macro: a reply or note template, fields to set, tags to add or remove' })
  @ApiZodResponse(201, createMacro.response)
  @Post()
  @RequirePermission('macros', 'create')
  async create(@Body(new ZodValidationPipe(macroInputSchema)) macro: z.infer<typeof macroInputSchema>, @CurrentActor() actor: Actor, @Res({ passthrough: true }) reply: FastifyReply) {
    const created = await this.bus.call(createMacro, { macro }, actor, { bodyAt: 'macro' });
    void reply.status(201);
    return created;
  }

  @ApiOperation({ operationId: 'updateMacro', summary: 'Change a macro (If-Match: conditional)' })
  @ApiZodResponse(200, updateMacro.response)
  @Patch(':id')
  @RequirePermission('macros', 'update')
  update(
    @Param('id', new UuidParamPipe()) id: string,
    @Body(new ZodValidationPipe(macroPatchSchema)) patch: z.infer<typeof macroPatchSchema>,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentActor() actor: Actor,
  ) {
    return this.bus.call(updateMacro, { id, patch, expectedVersion: versionFromIfMatch(ifMatch) }, actor, { bodyAt: 'patch' });
  }

  @ApiOperation({ operationId: 'deleteMacro', summary: 'Delete a macro' })
  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('macros', 'delete')
  async delete(@Param('id', new UuidParamPipe()) id: string, @CurrentActor() actor: Actor): Promise<void> {
    await this.bus.call(deleteMacro, { id }, actor);
  }
}

/** Applying a macro is working the ticket: the ticket's permission, and its If-Match. */
@Controller('api/v1/tickets/:ticketId/macros')
@VersionEtag()
export class TicketMacrosController {
  constructor(private readonly bus: ServiceBus) {}

  @ApiOperation({ operationId: 'applyMacro', summary: "Apply a macro to the ticket: its reply, fields and tags in one step (If-Match: the ticket's version)" })
  @ApiZodResponse(200, applyMacro.response)
  @Post(':macroId')
  @HttpCode(200)
  @RequirePermission('tickets', 'update')
  apply(
    @Param('ticketId', new UuidParamPipe()) ticketId: string,
    @Param('macroId', new UuidParamPipe()) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentActor() actor: Actor,
  ) {
    return this.bus.call(applyMacro, { id, ticketId, expectedVersion: versionFromIfMatch(ifMatch) }, actor);
  }
}
