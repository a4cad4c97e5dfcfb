import { Controller } from '@nestjs/common';
import { RpcRequest, restoreCompany } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { RestoreCompanyService } from './restore-company.service';

@Controller()
export class RestoreCompanyHandler {
  constructor(private readonly service: RestoreCompanyService) {}

  @OnRpc(restoreCompany, { scope: 'tenant' })
  handle(request: RpcRequest<typeof restoreCompany>, { tenantId }: TenantCallContext) {
    return this.service.restore(tenantId, request);
  }
}
