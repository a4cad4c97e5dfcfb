import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Actor, eraseContact, exportContact, listDataSubjectRequests } from '@crm/contracts';
import { z } from 'zod';
import { CurrentActor } from '../../authz/current-actor.decorator';
import { RequirePermission } from '../../authz/require-permission.decorator';
import { ServiceBus } from '../../edge/service-bus';
import { queryLimit } from '../../http/query-schemas';
import { UuidParamPipe } from '@crm/service-kit';
import { ZodValidationPipe } from '@crm/service-kit';
import { ApiZodResponse } from '@crm/service-kit';

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
  @ApiOperation({ operationId: 'listDataSubjectRequests', summary: 'List data-subject requests (exports and erasures)' })
  @ApiZodResponse(200, listDataSubjectRequests.response)
  @Get('data-subject-requests')
  @RequirePermission('contacts', 'erase')
  requests(@Query(new ZodValidationPipe(listDataSubjectRequestsQuerySchema)) query: ListDataSubjectRequestsQuery, @CurrentActor() actor: Actor) {
    return this.bus.relay(listDataSubjectRequests, { cursor: query.cursor, limit: query.limit }, actor);
  }

  @ApiOperation({ operationId: 'exportContact', summary: 'Export everything held about a contact' })
  @ApiZodResponse(200, exportContact.response)
  @Get(':id/export')
  @RequirePermission('contacts', 'export')
  export(@Param('id', new UuidParamPipe()) id: string, @CurrentActor() actor: Actor) {
    return this.bus.call(exportContact, { id }, actor);
  }

  /** Irreversible; the other services are told (contacts.contact.erased.v1) to erase their copies. */
  @ApiOperation({ operationId: 'eraseContact', summary: 'Erase a contact and their personal data' })
  @ApiZodResponse(200, eraseContact.response)
  @Post(':id/erase')
  @HttpCode(200)
  @RequirePermission('contacts', 'erase')
  erase(@Param('id', new UuidParamPipe()) id: string, @CurrentActor() actor: Actor) {
    return this.bus.call(eraseContact, { id }, actor);
  }
}
