import { Controller } from '@nestjs/common';
import { endChat, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { EndChatService } from './end-chat.service';

@Controller()
export class EndChatHandler {
  constructor(private readonly service: EndChatService) {}

  @OnRpc(endChat, { scope: 'tenant' })
  handle({ id, participant }: RpcRequest<typeof endChat>, { tenantId }: TenantCallContext) {
    return this.service.end(tenantId, id, participant);
  }
}
