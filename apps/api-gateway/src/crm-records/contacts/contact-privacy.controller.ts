import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { Actor, eraseContact, exportContact, listDataSubjectRequests } from '@crm/contracts';
import { z } from 'zod';
import { CurrentActor } from '../../authz/current-actor.decorator';
import { RequirePermission } from '../../authz/require-permission.decorator';
import { ServiceBus } from '../../edge/service-bus';
import { queryLimit } from '../../http/query-schemas';
import { UuidParamPipe } from '../../http/uuid-param.pipe';
import { ZodValidationPipe } from '../../http/zod-validation.pipe';

/** GET /contacts/data-subject-requests query string: cursor, limit. */
const listDataSubjectRequestsQuerySchema = z.object({ cursor: z.string().max(512).optional(), limit: queryLimit });
type ListDataSubjectRequestsQuery = z.infer<typeof listDataSubjectRequestsQuerySchema>;

/**
 * Data-subject requests: export everything held about a person (admins and managers), erase it
 * for good (admins only). The contacts service records each one (who, when, which contact);
 * admins read that record.
 */
@Controller('api/v1/contacts')
export class ContactPrivacyController {
  constructor(private readonly bus: ServiceBus) {}

  /** The exports and erasures of the organisation, newest first. */
  @Get('data-subject-requests')
  @RequirePermission('contacts', 'erase')
  requests(@Query(new ZodValidationPipe(listDataSubjectRequestsQuerySchema)) query: ListDataSubjectRequestsQuery, @CurrentActor() actor: Actor) {
    return this.bus.call(listDataSubjectRequests, { cursor: query.cursor, limit: query.limit }, actor);
  }

  @Get(':id/export')
  @RequirePermission('contacts', 'export')
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
