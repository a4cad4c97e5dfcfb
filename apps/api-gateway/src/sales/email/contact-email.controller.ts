import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Actor, getEmailConsent, sendContactEmail, setEmailConsent } from '@crm/contracts';
import { ApiZodResponse, UuidParamPipe, ZodValidationPipe } from '@crm/service-kit';
import { CurrentActor } from '../../authz/current-actor.decorator';
import { RequirePermission } from '../../authz/require-permission.decorator';
import { ServiceBus } from '../../edge/service-bus';
import { SendContactEmailBody, sendContactEmailBodySchema, SetEmailConsentBody, setEmailConsentBodySchema } from './email.dto';

/** A contact's email consent (with its history) and sending one template to it now. */
@Controller('api/v1/contacts/:id')
export class ContactEmailController {
  constructor(private readonly bus: ServiceBus) {}

  @ApiOperation({ operationId: 'getEmailConsent', summary: "A contact's email subscription status (never_asked when never set) and its history" })
  @ApiZodResponse(200, getEmailConsent.response)
  @Get('email-consent')
  @RequirePermission('consent', 'read')
  get(@Param('id', new UuidParamPipe()) contactId: string, @CurrentActor() actor: Actor) {
    return this.bus.call(getEmailConsent, { contactId }, actor);
  }

  @ApiOperation({ operationId: 'setEmailConsent', summary: "Set a contact's email subscription status (kept in its history; published when it changes)" })
  @ApiZodResponse(200, setEmailConsent.response)
  @Put('email-consent')
  @RequirePermission('consent', 'update')
  set(
    @Param('id', new UuidParamPipe()) contactId: string,
    @Body(new ZodValidationPipe(setEmailConsentBodySchema)) body: SetEmailConsentBody,
    @CurrentActor() actor: Actor,
  ) {
    return this.bus.call(setEmailConsent, { contactId, ...body }, actor);
  }

  @ApiOperation({
    operationId: 'sendContactEmail',
    summary: 'Send a template to the contact now (marketing only when subscribed: otherwise answers skipped, sending nothing)',
  })
  @ApiZodResponse(201, sendContactEmail.response)
  @Post('emails')
  @HttpCode(201)
  @RequirePermission('enrolments', 'create')
  send(
    @Param('id', new UuidParamPipe()) contactId: string,
    @Body(new ZodValidationPipe(sendContactEmailBodySchema)) body: SendContactEmailBody,
    @CurrentActor() actor: Actor,
  ) {
    return this.bus.call(sendContactEmail, { contactId, ...body }, actor);
  }
}
