import { Controller } from '@nestjs/common';
import { applyMacro, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { ApplyMacroService } from './apply-macro.service';

@Controller()
export class ApplyMacroHandler {
  constructor(private readonly service: ApplyMacroService) {}

  @OnRpc(applyMacro, { scope: 'tenant' })
  handle(request: RpcRequest<typeof applyMacro>, { actor }: TenantCallContext) {
    return this.service.apply(actor, request);
  }
}
