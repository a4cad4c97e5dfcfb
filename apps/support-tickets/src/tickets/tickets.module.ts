import { Module } from '@nestjs/common';
import { EmailOutModule } from '../email-out/email-out.module';
import { AddTicketMessageHandler } from './add-message/add-message.handler';
import { AddTicketMessageService } from './add-message/add-message.service';
import { CreateTicketHandler } from './create-ticket/create-ticket.handler';
import { CreateTicketService } from './create-ticket/create-ticket.service';
import { GetTicketHandler } from './get-ticket/get-ticket.handler';
import { ListTicketsHandler } from './list-tickets/list-tickets.handler';
import { TicketRepository } from './ticket.repository';
import { TicketThread } from './ticket-thread';
import { UpdateTicketHandler } from './update-ticket/update-ticket.handler';
import { UpdateTicketService } from './update-ticket/update-ticket.service';

/** Tickets and their threads: create, read, list, change, reply and note. */
@Module({
  imports: [EmailOutModule],
  controllers: [CreateTicketHandler, GetTicketHandler, ListTicketsHandler, UpdateTicketHandler, AddTicketMessageHandler],
  providers: [TicketRepository, TicketThread, CreateTicketService, UpdateTicketService, AddTicketMessageService],
  exports: [TicketRepository, TicketThread, AddTicketMessageService, UpdateTicketService, CreateTicketService],
})
export class TicketsModule {}
