import { Controller } from '@nestjs/common';
import { RpcRequest, createCompany } from '@crm/contracts';
import { OnRpc, RpcCallContext } from '@crm/messaging';
import { tenantOf } from '../../shared/tenant';
import { CreateCompanyService } from './create-company.service';

@Controller()
export class CreateCompanyHandler {
  constructor(private readonly service: CreateCompanyService) {}

  @OnRpc(createCompany)
  handle(request: RpcRequest<typeof createCompany>, context: RpcCallContext) {
    return this.service.create(tenantOf(context), request);
  }
}
