import { Injectable } from '@nestjs/common';
import { TicketWithThread } from '@crm/contracts';
import { toTicket, toTicketMessage, TicketRow } from './ticket.mapper';
import { TicketRepository } from './ticket.repository';

/** A ticket with its thread, oldest message first. */
@Injectable()
export class TicketThread {
  constructor(private readonly repository: TicketRepository) {}

  async of(row: TicketRow): Promise<TicketWithThread> {
    const [messages, attachments] = await Promise.all([this.repository.messages(row.tenant_id, row.id), this.repository.attachments(row.tenant_id, row.id)]);
    return { ...toTicket(row), messages: messages.map((m) => toTicketMessage(m, attachments.filter((a) => a.message_id === m.id))) };
  }
}
