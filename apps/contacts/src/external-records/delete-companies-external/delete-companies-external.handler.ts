import { Controller } from '@nestjs/common';
import { deleteCompaniesByExternalId, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { DeleteCompaniesExternalService } from './delete-companies-external.service';

@Controller()
export class DeleteCompaniesExternalHandler {
  constructor(private readonly service: DeleteCompaniesExternalService) {}

  @OnRpc(deleteCompaniesByExternalId, { scope: 'tenant' })
  handle(request: RpcRequest<typeof deleteCompaniesByExternalId>, { tenantId }: TenantCallContext) {
    return this.service.delete(tenantId, request);
  }
}
