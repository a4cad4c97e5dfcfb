import { Controller } from '@nestjs/common';
import { RpcRequest, getCompany } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { CompanyLookup } from '../company-lookup';
import { toCompany } from '../company.mapper';

@Controller()
export class GetCompanyHandler {
  constructor(private readonly lookup: CompanyLookup) {}

  @OnRpc(getCompany, { scope: 'tenant' })
  async handle({ id }: RpcRequest<typeof getCompany>, { tenantId }: TenantCallContext) {
    return toCompany(await this.lookup.visible(tenantId, id));
  }
}
