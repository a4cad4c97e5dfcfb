import { Controller } from '@nestjs/common';
import { RpcRequest, getCompany } from '@crm/contracts';
import { OnRpc, RpcCallContext } from '@crm/messaging';
import { tenantOf } from '../../shared/tenant';
import { CompanyLookup } from '../company-lookup';
import { toCompany } from '../company.mapper';

@Controller()
export class GetCompanyHandler {
  constructor(private readonly lookup: CompanyLookup) {}

  @OnRpc(getCompany)
  async handle({ id }: RpcRequest<typeof getCompany>, context: RpcCallContext) {
    return toCompany(await this.lookup.visible(tenantOf(context), id));
  }
}
