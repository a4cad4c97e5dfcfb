import { Controller } from '@nestjs/common';
import { eraseContact, RpcRequest } from '@crm/contracts';
import { OnRpc, RpcCallContext } from '@crm/messaging';
import { requireRole } from '../../shared/roles';
import { tenantOf } from '../../shared/tenant';
import { EraseContactService } from './erase-contact.service';

@Controller()
export class EraseContactHandler {
  constructor(private readonly service: EraseContactService) {}

  @OnRpc(eraseContact)
  handle(request: RpcRequest<typeof eraseContact>, context: RpcCallContext) {
    const tenantId = tenantOf(context);
    requireRole(context, ['admin']);
    return this.service.erase(tenantId, context.actor?.userId ?? '', request);
  }
}
