import { Module } from '@nestjs/common';
import { ManageTicketFieldsHandler } from './manage-fields/manage-ticket-fields.handler';
import { ManageTicketFieldsService } from './manage-fields/manage-ticket-fields.service';
import { TicketFieldRepository } from './ticket-field.repository';
import { TicketFieldValues } from './ticket-field-values';

/** The tenant's own ticket fields: their definitions, and the check of the values tickets hold. */
@Module({
  controllers: [ManageTicketFieldsHandler],
  providers: [TicketFieldRepository, ManageTicketFieldsService, TicketFieldValues],
  exports: [TicketFieldValues],
})
export class TicketFieldsModule {}
