import { Body, Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Actor, defineMailbox, deleteMailbox, listMailboxes } from '@crm/contracts';
import { ApiProblem, ApiZodResponse, ZodValidationPipe } from '@crm/service-kit';
import { z } from 'zod';
import { CurrentActor } from '../../authz/current-actor.decorator';
import { RequirePermission } from '../../authz/require-permission.decorator';
import { ServiceBus } from '../../edge/service-bus';

const mailboxBodySchema = z.object({ groupId: z.uuid().nullable().default(null) });
type MailboxBody = z.infer<typeof mailboxBodySchema>;

/** The addresses that take mail into the tenant's tickets (support@acme.example -> a group). */
@Controller('api/v1/support-mailboxes')
export class MailboxesController {
  constructor(private readonly bus: ServiceBus) {}

  @ApiOperation({ operationId: 'listSupportMailboxes', summary: "List the tenant's inbound support addresses" })
  @ApiZodResponse(200, listMailboxes.response)
  @Get()
  @RequirePermission('support-mailboxes', 'read')
  list(@CurrentActor() actor: Actor) {
    return this.bus.relay(listMailboxes, {}, actor);
  }

  @ApiOperation({ operationId: 'putSupportMailbox', summary: 'Take mail to this address into tickets, in a group (409: another tenant has it)' })
  @ApiZodResponse(200, defineMailbox.response)
  @ApiProblem(409, 'Another organisation takes mail at this address.')
  @Put(':address')
  @RequirePermission('support-mailboxes', 'update')
  put(@Param('address') address: string, @Body(new ZodValidationPipe(mailboxBodySchema)) { groupId }: MailboxBody, @CurrentActor() actor: Actor) {
    return this.bus.call(defineMailbox, { address, groupId }, actor);
  }

  @ApiOperation({ operationId: 'deleteSupportMailbox', summary: 'Stop taking mail to this address' })
  @Delete(':address')
  @HttpCode(204)
  @RequirePermission('support-mailboxes', 'delete')
  async delete(@Param('address') address: string, @CurrentActor() actor: Actor): Promise<void> {
    await this.bus.call(deleteMailbox, { address }, actor);
  }
}
