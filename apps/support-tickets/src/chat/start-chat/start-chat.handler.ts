import { randomUUID } from 'node:crypto';
import { Controller } from '@nestjs/common';
import { RpcRequest, startChat } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { Clock } from '@crm/service-kit';
import { Transactional } from '@nestjs-cls/transactional';
import { CreateOwnTicketService } from '../../portal/create-own-ticket/create-own-ticket.service';
import { ChatRepository } from '../chat.repository';
import { toChat } from '../chat.mapper';

/** A portal customer starts a chat: a new ticket of channel chat (theirs), and the chat waiting for an agent. */
@Controller()
export class StartChatHandler {
  constructor(
    private readonly tickets: CreateOwnTicketService,
    private readonly chats: ChatRepository,
    private readonly clock: Clock,
  ) {}

  @OnRpc(startChat, { scope: 'tenant' })
  @Transactional()
  async handle({ customer, subject }: RpcRequest<typeof startChat>, { tenantId }: TenantCallContext) {
    const ticket = await this.tickets.create(tenantId, customer.email, { subject, body: null, channel: 'chat' });
    const id = randomUUID();
    await this.chats.insert(tenantId, { id, ticketId: ticket.id, customerEmail: customer.email }, this.clock.now());
    return toChat(await this.chats.get(tenantId, id));
  }
}
