import { Controller } from '@nestjs/common';
import { RpcRequest, restoreContact } from '@crm/contracts';
import { OnRpc, RpcCallContext } from '@crm/messaging';
import { tenantOf } from '../../shared/tenant';
import { RestoreContactService } from './restore-contact.service';

@Controller()
export class RestoreContactHandler {
  constructor(private readonly service: RestoreContactService) {}

  @OnRpc(restoreContact)
  handle(request: RpcRequest<typeof restoreContact>, context: RpcCallContext) {
    return this.service.restore(tenantOf(context), request);
  }
}
