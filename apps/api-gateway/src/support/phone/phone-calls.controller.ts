import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Actor, listPhoneCalls, logPhoneCall, phoneCallInputSchema } from '@crm/contracts';
import { ApiProblem, ApiZodResponse, ZodValidationPipe } from '@crm/service-kit';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { CurrentActor } from '../../authz/current-actor.decorator';
import { RequirePermission } from '../../authz/require-permission.decorator';
import { ServiceBus } from '../../edge/service-bus';

const listQuerySchema = z.object({ ticketId: z.uuid() });

/** The phone call log: a call opens a ticket (channel phone) or joins one as an internal note. */
@Controller('api/v1/phone-calls')
export class PhoneCallsController {
  constructor(private readonly bus: ServiceBus) {}

  @ApiOperation({ operationId: 'logPhoneCall', summary: 'Log a call (direction, number, length, recording, notes): joins ticketId, or opens a phone ticket with subject' })
  @ApiZodResponse(201, logPhoneCall.response)
  @ApiProblem(404, 'No ticket ticketId in your organisation.')
  @Post()
  @RequirePermission('tickets', 'update')
  async log(@Body(new ZodValidationPipe(phoneCallInputSchema)) call: z.infer<typeof phoneCallInputSchema>, @CurrentActor() actor: Actor, @Res({ passthrough: true }) reply: FastifyReply) {
    const logged = await this.bus.call(logPhoneCall, { call }, actor, { bodyAt: 'call' });
    void reply.status(201);
    return logged;
  }

  @ApiOperation({ operationId: 'listPhoneCalls', summary: "A ticket's calls, oldest first" })
  @ApiZodResponse(200, listPhoneCalls.response)
  @Get()
  @RequirePermission('tickets', 'read')
  list(@Query(new ZodValidationPipe(listQuerySchema)) { ticketId }: z.infer<typeof listQuerySchema>, @CurrentActor() actor: Actor) {
    return this.bus.relay(listPhoneCalls, { ticketId }, actor);
  }
}
