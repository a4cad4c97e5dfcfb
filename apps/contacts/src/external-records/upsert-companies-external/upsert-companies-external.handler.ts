import { Controller } from '@nestjs/common';
import { RpcRequest, upsertCompaniesByExternalId } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { UpsertCompaniesExternalService } from './upsert-companies-external.service';

@Controller()
export class UpsertCompaniesExternalHandler {
  constructor(private readonly service: UpsertCompaniesExternalService) {}

  @OnRpc(upsertCompaniesByExternalId, { scope: 'tenant' })
  handle(request: RpcRequest<typeof upsertCompaniesByExternalId>, { actor }: TenantCallContext) {
    return this.service.upsert(actor.tenantId, request);
  }
}
