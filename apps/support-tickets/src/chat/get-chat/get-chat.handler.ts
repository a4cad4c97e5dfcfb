import { Controller } from '@nestjs/common';
import { getChat, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { ChatRepository } from '../chat.repository';
import { checkParticipant, toChat, toChatLine } from '../chat.mapper';

/** The chat and what was said so far (a client that reconnects catches up). */
@Controller()
export class GetChatHandler {
  constructor(private readonly chats: ChatRepository) {}

  @OnRpc(getChat, { scope: 'tenant' })
  async handle({ id, participant }: RpcRequest<typeof getChat>, { tenantId }: TenantCallContext) {
    const chat = checkParticipant(await this.chats.find(tenantId, id), id, participant);
    return { ...toChat(chat), lines: (await this.chats.lines(tenantId, id)).map(toChatLine) };
  }
}
