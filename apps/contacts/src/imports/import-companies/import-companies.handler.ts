import { Controller } from '@nestjs/common';
import { importCompanies, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { ImportCompaniesService } from './import-companies.service';

@Controller()
export class ImportCompaniesHandler {
  constructor(private readonly service: ImportCompaniesService) {}

  @OnRpc(importCompanies, { scope: 'tenant' })
  handle(request: RpcRequest<typeof importCompanies>, { tenantId }: TenantCallContext) {
    return this.service.import(tenantId, request);
  }
}
