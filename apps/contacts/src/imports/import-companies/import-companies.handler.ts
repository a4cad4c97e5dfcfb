import { Controller } from '@nestjs/common';
import { importCompanies, RpcRequest } from '@crm/contracts';
import { OnRpc, RpcCallContext } from '@crm/messaging';
import { tenantOf } from '../../shared/tenant';
import { ImportCompaniesService } from './import-companies.service';

@Controller()
export class ImportCompaniesHandler {
  constructor(private readonly service: ImportCompaniesService) {}

  @OnRpc(importCompanies)
  handle(request: RpcRequest<typeof importCompanies>, context: RpcCallContext) {
    return this.service.import(tenantOf(context), request);
  }
}
