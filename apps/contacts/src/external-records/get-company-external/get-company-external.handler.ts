import { Controller } from '@nestjs/common';
import { Company, getCompanyByExternalId, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { CompanyLookup } from '../../companies/company-lookup';
import { toCompany } from '../../companies/company.mapper';
import { notFound } from '../../shared/errors';
import { ExternalRecordsRepository } from '../external-records.repository';

@Controller()
export class GetCompanyExternalHandler {
  constructor(
    private readonly repository: ExternalRecordsRepository,
    private readonly lookup: CompanyLookup,
  ) {}

  /** The company as GET answers it (live only): NOT_FOUND when the id is unknown or its company deleted. */
  @OnRpc(getCompanyByExternalId, { scope: 'tenant' })
  async handle({ system, externalId }: RpcRequest<typeof getCompanyByExternalId>, { tenantId }: TenantCallContext): Promise<Company> {
    const id = (await this.repository.refs({ tenantId, object: 'company', system }, [externalId])).get(externalId);
    if (id === undefined) throw notFound('company', `${system}:${externalId}`);
    return toCompany(await this.lookup.live(tenantId, id));
  }
}
