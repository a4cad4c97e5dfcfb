import { randomUUID } from 'node:crypto';
import { Controller } from '@nestjs/common';
import { DomainError, postChatLine, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { Clock } from '@crm/service-kit';
import { Transactional } from '@nestjs-cls/transactional';
import { ChatRepository } from '../chat.repository';
import { checkParticipant, toChatLine } from '../chat.mapper';

/**
 * A line said in the chat, stored before anyone sees it (the gateway relays the stored line). An
 * agent's first line takes a waiting chat. An ended chat takes no more (CONFLICT).
 */
@Controller()
export class PostChatLineHandler {
  constructor(
    private readonly chats: ChatRepository,
    private readonly clock: Clock,
  ) {}

  @OnRpc(postChatLine, { scope: 'tenant' })
  @Transactional()
  async handle({ id, participant, body }: RpcRequest<typeof postChatLine>, { tenantId }: TenantCallContext) {
    const chat = checkParticipant(await this.chats.find(tenantId, id), id, participant);
    if (chat.status === 'ended') throw new DomainError('CONFLICT', `chat ${id} has ended.`);
    if (participant.type === 'agent' && chat.status === 'waiting') await this.chats.take(tenantId, id, participant.userId);
    const line = await this.chats.insertLine(
      tenantId,
      {
        id: randomUUID(),
        chatId: id,
        authorType: participant.type,
        authorId: participant.type === 'customer' ? participant.email : participant.userId,
        body,
      },
      this.clock.now(),
    );
    return toChatLine(line);
  }
}
