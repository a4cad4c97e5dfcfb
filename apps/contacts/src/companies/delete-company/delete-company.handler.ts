import { Controller } from '@nestjs/common';
import { RpcRequest, deleteCompany } from '@crm/contracts';
import { OnRpc, RpcCallContext } from '@crm/messaging';
import { tenantOf } from '../../shared/tenant';
import { DeleteCompanyService } from './delete-company.service';

@Controller()
export class DeleteCompanyHandler {
  constructor(private readonly service: DeleteCompanyService) {}

  @OnRpc(deleteCompany)
  handle(request: RpcRequest<typeof deleteCompany>, context: RpcCallContext) {
    return this.service.delete(tenantOf(context), request);
  }
}
