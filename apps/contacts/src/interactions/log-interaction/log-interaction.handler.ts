import { Controller } from '@nestjs/common';
import { logInteraction, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { LogInteractionService } from './log-interaction.service';

@Controller()
export class LogInteractionHandler {
  constructor(private readonly service: LogInteractionService) {}

  @OnRpc(logInteraction, { scope: 'tenant' })
  handle(request: RpcRequest<typeof logInteraction>, { tenantId, actor }: TenantCallContext) {
    return this.service.log(tenantId, actor.userId, request);
  }
}
