import { Controller } from '@nestjs/common';
import { logPhoneCall, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { LogPhoneCallService } from './log-call.service';

@Controller()
export class LogPhoneCallHandler {
  constructor(private readonly service: LogPhoneCallService) {}

  @OnRpc(logPhoneCall, { scope: 'tenant' })
  handle(request: RpcRequest<typeof logPhoneCall>, { actor }: TenantCallContext) {
    return this.service.log(actor, request);
  }
}
