import { Module } from '@nestjs/common';
import { EmailOutModule } from '../email-out/email-out.module';
import { TicketFieldsModule } from '../ticket-fields/ticket-fields.module';
import { AddTicketMessageHandler } from './add-message/add-message.handler';
import { AddTicketMessageService } from './add-message/add-message.service';
import { CreateTicketHandler } from './create-ticket/create-ticket.handler';
import { CreateTicketService } from './create-ticket/create-ticket.service';
import { GetTicketHandler } from './get-ticket/get-ticket.handler';
import { ListTicketsHandler } from './list-tickets/list-tickets.handler';
import { MergeTicketsHandler } from './merge-tickets/merge-tickets.handler';
import { MergeTicketsService } from './merge-tickets/merge-tickets.service';
import { TicketRepository } from './ticket.repository';
import { TicketThread } from './ticket-thread';
import { UpdateTicketHandler } from './update-ticket/update-ticket.handler';
import { UpdateTicketService } from './update-ticket/update-ticket.service';

/** Tickets and their threads: create, read, list, change, reply, note and merge. */
@Module({
  imports: [EmailOutModule, TicketFieldsModule],
  controllers: [CreateTicketHandler, GetTicketHandler, ListTicketsHandler, UpdateTicketHandler, AddTicketMessageHandler, MergeTicketsHandler],
  providers: [TicketRepository, TicketThread, CreateTicketService, UpdateTicketService, AddTicketMessageService, MergeTicketsService],
  exports: [TicketRepository, TicketThread, AddTicketMessageService, UpdateTicketService, CreateTicketService],
})
export class TicketsModule {}
