import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { chatEnded, ChatParticipant, ticketMessageAdded } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Clock } from '@crm/service-kit';
import { Transactional } from '@nestjs-cls/transactional';
import { ticketChangedMeanwhile } from '../../tickets/ticket-errors';
import { toTicket, toTicketMessage } from '../../tickets/ticket.mapper';
import { TicketRepository } from '../../tickets/ticket.repository';
import { ChatRepository } from '../chat.repository';
import { checkParticipant, toChat, transcriptOf } from '../chat.mapper';

/**
 * Ends the chat: its transcript becomes a public message of the ticket (the customer sees it in the
 * portal; an agent answered, so a new ticket opens). Ending an ended chat answers it unchanged.
 */
@Injectable()
export class EndChatService {
  constructor(
    private readonly chats: ChatRepository,
    private readonly tickets: TicketRepository,
    private readonly events: EventPublisher,
    private readonly clock: Clock,
  ) {}

  @Transactional()
  async end(tenantId: string, id: string, participant: ChatParticipant) {
    const chat = checkParticipant(await this.chats.find(tenantId, id), id, participant);
    const at = this.clock.now();
    if (!(await this.chats.end(tenantId, id, at))) return toChat(chat);
    const ticket = await this.tickets.lock(tenantId, chat.ticket_id);
    if (ticket && ticket.status !== 'closed') {
      const opens = ticket.status === 'new' && chat.agent_id !== null;
      const updated = await this.tickets.update(tenantId, ticket.id, ticket.version, opens ? { status: 'open' } : {}, at);
      if (!updated) throw ticketChangedMeanwhile();
      const transcript = await this.tickets.insertMessage(
        tenantId,
        { id: randomUUID(), ticketId: ticket.id, kind: 'public', authorType: 'system', authorId: null, body: transcriptOf(chat, await this.chats.lines(tenantId, id)) },
        at,
      );
      const { body: _body, ...withoutBody } = toTicketMessage(transcript);
      await this.events.publish(ticketMessageAdded, { ticket: toTicket(updated), message: withoutBody }, { tenantId, subject: ticket.id, entityVersion: updated.version });
    }
    const ended = toChat(await this.chats.get(tenantId, id));
    await this.events.publish(chatEnded, { chat: ended }, { tenantId, subject: id, entityVersion: 1 });
    return ended;
  }
}
