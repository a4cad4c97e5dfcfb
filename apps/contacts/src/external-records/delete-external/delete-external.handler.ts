import { Controller } from '@nestjs/common';
import { deleteCompaniesByExternalId, deleteContactsByExternalId, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { DeleteExternalService } from './delete-external.service';

@Controller()
export class DeleteExternalHandler {
  constructor(private readonly service: DeleteExternalService) {}

  @OnRpc(deleteContactsByExternalId, { scope: 'tenant' })
  contacts(request: RpcRequest<typeof deleteContactsByExternalId>, { actor }: TenantCallContext) {
    return this.service.delete(actor.tenantId, 'contact', request);
  }

  @OnRpc(deleteCompaniesByExternalId, { scope: 'tenant' })
  companies(request: RpcRequest<typeof deleteCompaniesByExternalId>, { actor }: TenantCallContext) {
    return this.service.delete(actor.tenantId, 'company', request);
  }
}
