import { Controller } from '@nestjs/common';
import { RpcRequest, restoreCompany } from '@crm/contracts';
import { OnRpc, RpcCallContext } from '@crm/messaging';
import { tenantOf } from '../../shared/tenant';
import { RestoreCompanyService } from './restore-company.service';

@Controller()
export class RestoreCompanyHandler {
  constructor(private readonly service: RestoreCompanyService) {}

  @OnRpc(restoreCompany)
  handle(request: RpcRequest<typeof restoreCompany>, context: RpcCallContext) {
    return this.service.restore(tenantOf(context), request);
  }
}
