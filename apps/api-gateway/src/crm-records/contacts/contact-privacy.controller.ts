import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { Actor, eraseContact, exportContact } from '@crm/contracts';
import { CurrentActor } from '../../authz/current-actor.decorator';
import { RequirePermission } from '../../authz/require-permission.decorator';
import { ServiceBus } from '../../edge/service-bus';
import { UuidParamPipe } from '../../http/uuid-param.pipe';

/** Data-subject requests: export everything held about a person; erase it for good (admins only). */
@Controller('api/v1/contacts')
export class ContactPrivacyController {
  constructor(private readonly bus: ServiceBus) {}

  @Get(':id/export')
  @RequirePermission('contacts', 'read')
  export(@Param('id', new UuidParamPipe()) id: string, @CurrentActor() actor: Actor) {
    return this.bus.call(exportContact, { id }, actor);
  }

  /** Irreversible; the other services are told (contacts.contact.erased.v1) to erase their copies. */
  @Post(':id/erase')
  @HttpCode(200)
  @RequirePermission('contacts', 'erase')
  erase(@Param('id', new UuidParamPipe()) id: string, @CurrentActor() actor: Actor) {
    return this.bus.call(eraseContact, { id }, actor);
  }
}
