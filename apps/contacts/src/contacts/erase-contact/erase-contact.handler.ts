import { Controller } from '@nestjs/common';
import { eraseContact, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { EraseContactService } from './erase-contact.service';

@Controller()
export class EraseContactHandler {
  constructor(private readonly service: EraseContactService) {}

  @OnRpc(eraseContact, { scope: 'tenant', roles: ['admin'] })
  handle(request: RpcRequest<typeof eraseContact>, { tenantId, actor }: TenantCallContext) {
    return this.service.erase(tenantId, actor.userId, request);
  }
}
