import { Controller } from '@nestjs/common';
import { RpcRequest, updateCompany } from '@crm/contracts';
import { OnRpc, RpcCallContext } from '@crm/messaging';
import { tenantOf } from '../../shared/tenant';
import { UpdateCompanyService } from './update-company.service';

@Controller()
export class UpdateCompanyHandler {
  constructor(private readonly service: UpdateCompanyService) {}

  @OnRpc(updateCompany)
  handle(request: RpcRequest<typeof updateCompany>, context: RpcCallContext) {
    return this.service.update(tenantOf(context), request);
  }
}
