import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation } from '@nestjs/swagger';
import { Actor, receiveEmail, validationFailed } from '@crm/contracts';
import { ApiZodResponse } from '@crm/service-kit';
import { CurrentActor } from '../../authz/current-actor.decorator';
import { RequirePermission } from '../../authz/require-permission.decorator';
import { ServiceBus } from '../../edge/service-bus';
import { RAW_EMAIL_MEDIA_TYPE } from './raw-email-body.parser';

/** Inbound email by HTTP: a raw message posted by a mail provider's webhook (or a relay) becomes a ticket or a reply. */
@Controller('api/v1/tickets/inbound-email')
export class InboundEmailController {
  constructor(private readonly bus: ServiceBus) {}

  @ApiOperation({
    operationId: 'receiveInboundEmail',
    summary: 'Take a raw RFC 5322 message (message/rfc822) into tickets: a new ticket, a threaded reply, a note, ignored or a duplicate',
  })
  @ApiConsumes(RAW_EMAIL_MEDIA_TYPE)
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiZodResponse(200, receiveEmail.response)
  @Post()
  @HttpCode(200)
  @RequirePermission('tickets', 'create')
  receive(@Body() raw: unknown, @CurrentActor() actor: Actor) {
    if (!Buffer.isBuffer(raw) || raw.length === 0) {
      throw validationFailed([{ path: 'body', message: `must be a raw email sent as ${RAW_EMAIL_MEDIA_TYPE}` }]);
    }
    return this.bus.call(receiveEmail, { raw: raw.toString('base64') }, actor);
  }
}
