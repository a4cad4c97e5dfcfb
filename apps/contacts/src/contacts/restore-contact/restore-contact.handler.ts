import { Controller } from '@nestjs/common';
import { RpcRequest, restoreContact } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { RestoreContactService } from './restore-contact.service';

@Controller()
export class RestoreContactHandler {
  constructor(private readonly service: RestoreContactService) {}

  @OnRpc(restoreContact, { scope: 'tenant' })
  handle(request: RpcRequest<typeof restoreContact>, { tenantId }: TenantCallContext) {
    return this.service.restore(tenantId, request);
  }
}
