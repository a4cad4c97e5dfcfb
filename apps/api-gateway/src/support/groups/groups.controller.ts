import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Put, Res } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import {
  Actor,
  createTicketGroup,
  deleteTicketGroup,
  getTicketGroup,
  listTicketGroups,
  putGroupMember,
  removeGroupMember,
  ticketGroupInputSchema,
  ticketGroupPatchSchema,
  updateTicketGroup,
} from '@crm/contracts';
import { ApiZodResponse, UuidParamPipe, VersionEtag, versionFromIfMatch, ZodValidationPipe } from '@crm/service-kit';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { CurrentActor } from '../../authz/current-actor.decorator';
import { RequirePermission } from '../../authz/require-permission.decorator';
import { ServiceBus } from '../../edge/service-bus';

const memberBodySchema = z.object({ available: z.boolean().default(true) });

/** Ticket groups (queues), their agents and availability, and how new tickets are assigned (manual, round robin, fewest open). */
@Controller('api/v1/groups')
@VersionEtag()
export class GroupsController {
  constructor(private readonly bus: ServiceBus) {}

  @ApiOperation({ operationId: 'listTicketGroups', summary: 'List the groups with their members' })
  @ApiZodResponse(200, listTicketGroups.response)
  @Get()
  @RequirePermission('groups', 'read')
  list(@CurrentActor() actor: Actor) {
    return this.bus.relay(listTicketGroups, {}, actor);
  }

  @ApiOperation({ operationId: 'createTicketGroup', summary: 'Add a group (a name once: 409 again); assignment manual, round_robin or fewest_open' })
  @ApiZodResponse(201, createTicketGroup.response)
  @Post()
  @RequirePermission('groups', 'create')
  async create(@Body(new ZodValidationPipe(ticketGroupInputSchema)) group: z.infer<typeof ticketGroupInputSchema>, @CurrentActor() actor: Actor, @Res({ passthrough: true }) reply: FastifyReply) {
    const created = await this.bus.call(createTicketGroup, { group }, actor, { bodyAt: 'group' });
    void reply.status(201).header('location', `/api/v1/groups/${created.id}`);
    return created;
  }

  @ApiOperation({ operationId: 'getTicketGroup', summary: 'Get a group with its members (ETag: its version)' })
  @ApiZodResponse(200, getTicketGroup.response)
  @Get(':id')
  @RequirePermission('groups', 'read')
  get(@Param('id', new UuidParamPipe()) id: string, @CurrentActor() actor: Actor) {
    return this.bus.relay(getTicketGroup, { id }, actor);
  }

  @ApiOperation({ operationId: 'updateTicketGroup', summary: "Rename a group or change how it assigns (If-Match: conditional)" })
  @ApiZodResponse(200, updateTicketGroup.response)
  @Patch(':id')
  @RequirePermission('groups', 'update')
  update(
    @Param('id', new UuidParamPipe()) id: string,
    @Body(new ZodValidationPipe(ticketGroupPatchSchema)) patch: z.infer<typeof ticketGroupPatchSchema>,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentActor() actor: Actor,
  ) {
    return this.bus.call(updateTicketGroup, { id, patch, expectedVersion: versionFromIfMatch(ifMatch) }, actor, { bodyAt: 'patch' });
  }

  @ApiOperation({ operationId: 'deleteTicketGroup', summary: 'Delete a group (its tickets keep the group id)' })
  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('groups', 'delete')
  async delete(@Param('id', new UuidParamPipe()) id: string, @CurrentActor() actor: Actor): Promise<void> {
    await this.bus.call(deleteTicketGroup, { id }, actor);
  }

  @ApiOperation({ operationId: 'putGroupMember', summary: 'Add an agent to the group, or set their availability (an unavailable agent gets no new tickets)' })
  @ApiZodResponse(200, putGroupMember.response)
  @Put(':id/members/:userId')
  @RequirePermission('groups', 'update')
  putMember(
    @Param('id', new UuidParamPipe()) id: string,
    @Param('userId', new UuidParamPipe()) userId: string,
    @Body(new ZodValidationPipe(memberBodySchema)) { available }: z.infer<typeof memberBodySchema>,
    @CurrentActor() actor: Actor,
  ) {
    return this.bus.call(putGroupMember, { id, userId, available }, actor);
  }

  @ApiOperation({ operationId: 'removeGroupMember', summary: 'Take an agent out of the group (their tickets stay theirs)' })
  @ApiZodResponse(200, removeGroupMember.response)
  @Delete(':id/members/:userId')
  @RequirePermission('groups', 'update')
  removeMember(@Param('id', new UuidParamPipe()) id: string, @Param('userId', new UuidParamPipe()) userId: string, @CurrentActor() actor: Actor) {
    return this.bus.call(removeGroupMember, { id, userId }, actor);
  }
}
