import { Controller } from '@nestjs/common';
import { RpcRequest, deleteContact } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { DeleteContactService } from './delete-contact.service';

@Controller()
export class DeleteContactHandler {
  constructor(private readonly service: DeleteContactService) {}

  @OnRpc(deleteContact, { scope: 'tenant' })
  handle(request: RpcRequest<typeof deleteContact>, { tenantId }: TenantCallContext) {
    return this.service.delete(tenantId, request);
  }
}
