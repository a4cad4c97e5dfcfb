import { Controller } from '@nestjs/common';
import { logInteraction, RpcRequest } from '@crm/contracts';
import { OnRpc, RpcCallContext } from '@crm/messaging';
import { tenantOf } from '../../shared/tenant';
import { LogInteractionService } from './log-interaction.service';

@Controller()
export class LogInteractionHandler {
  constructor(private readonly service: LogInteractionService) {}

  @OnRpc(logInteraction)
  handle(request: RpcRequest<typeof logInteraction>, context: RpcCallContext) {
    const tenantId = tenantOf(context);
    return this.service.log(tenantId, context.actor?.userId ?? '', request);
  }
}
