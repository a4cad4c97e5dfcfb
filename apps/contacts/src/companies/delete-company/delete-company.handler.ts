import { Controller } from '@nestjs/common';
import { RpcRequest, deleteCompany } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { DeleteCompanyService } from './delete-company.service';

@Controller()
export class DeleteCompanyHandler {
  constructor(private readonly service: DeleteCompanyService) {}

  @OnRpc(deleteCompany, { scope: 'tenant' })
  handle(request: RpcRequest<typeof deleteCompany>, { tenantId }: TenantCallContext) {
    return this.service.delete(tenantId, request);
  }
}
