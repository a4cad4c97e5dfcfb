import { Controller } from '@nestjs/common';
import { RpcRequest, updateCompany } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { UpdateCompanyService } from './update-company.service';

@Controller()
export class UpdateCompanyHandler {
  constructor(private readonly service: UpdateCompanyService) {}

  @OnRpc(updateCompany, { scope: 'tenant' })
  handle(request: RpcRequest<typeof updateCompany>, { tenantId }: TenantCallContext) {
    return this.service.update(tenantId, request);
  }
}
