import { Controller } from '@nestjs/common';
import { deleteContactsByExternalId, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { DeleteContactsExternalService } from './delete-contacts-external.service';

@Controller()
export class DeleteContactsExternalHandler {
  constructor(private readonly service: DeleteContactsExternalService) {}

  @OnRpc(deleteContactsByExternalId, { scope: 'tenant' })
  handle(request: RpcRequest<typeof deleteContactsByExternalId>, { tenantId }: TenantCallContext) {
    return this.service.delete(tenantId, request);
  }
}
