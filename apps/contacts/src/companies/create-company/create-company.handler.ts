import { Controller } from '@nestjs/common';
import { RpcRequest, createCompany } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { CreateCompanyService } from './create-company.service';

@Controller()
export class CreateCompanyHandler {
  constructor(private readonly service: CreateCompanyService) {}

  @OnRpc(createCompany, { scope: 'tenant' })
  handle(request: RpcRequest<typeof createCompany>, { tenantId }: TenantCallContext) {
    return this.service.create(tenantId, request);
  }
}
