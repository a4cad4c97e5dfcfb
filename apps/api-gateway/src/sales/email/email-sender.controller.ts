import { Body, Controller, Delete, Get, Headers, Put } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Actor, getEmailSender, resetEmailSender, setEmailSender } from '@crm/contracts';
import { ApiZodResponse, VersionEtag, versionFromIfMatch, ZodValidationPipe } from '@crm/service-kit';
import { CurrentActor } from '../../authz/current-actor.decorator';
import { RequirePermission } from '../../authz/require-permission.decorator';
import { ServiceBus } from '../../edge/service-bus';
import { SetEmailSenderBody, setEmailSenderBodySchema } from './email.dto';

/** The tenant's sender of every message (the system's while it has none): one per tenant, read by everyone, set by managers and admins. */
@Controller('api/v1/email-sender')
@VersionEtag()
export class EmailSenderController {
  constructor(private readonly bus: ServiceBus) {}

  @ApiOperation({ operationId: 'getEmailSender', summary: "The tenant's email sender, or the system's (systemDefault) while it has none (ETag: its version)" })
  @ApiZodResponse(200, getEmailSender.response)
  @Get()
  @RequirePermission('email-senders', 'read')
  get(@CurrentActor() actor: Actor) {
    return this.bus.call(getEmailSender, {}, actor);
  }

  @ApiOperation({ operationId: 'setEmailSender', summary: "Set the tenant's email sender: name, address, reply-to (If-Match: conditional)" })
  @ApiZodResponse(200, setEmailSender.response)
  @Put()
  @RequirePermission('email-senders', 'update')
  set(
    @Body(new ZodValidationPipe(setEmailSenderBodySchema)) sender: SetEmailSenderBody,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentActor() actor: Actor,
  ) {
    return this.bus.call(setEmailSender, { sender, expectedVersion: versionFromIfMatch(ifMatch) }, actor, { bodyAt: 'sender' });
  }

  @ApiOperation({ operationId: 'resetEmailSender', summary: "Back to the system's sender (If-Match: conditional)" })
  @ApiZodResponse(200, resetEmailSender.response)
  @Delete()
  @RequirePermission('email-senders', 'delete')
  reset(@Headers('if-match') ifMatch: string | undefined, @CurrentActor() actor: Actor) {
    return this.bus.call(resetEmailSender, { expectedVersion: versionFromIfMatch(ifMatch) }, actor);
  }
}
