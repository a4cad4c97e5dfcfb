import { Controller } from '@nestjs/common';
import { DomainError, getCompanyByExternalId, getContactByExternalId, resolveContactExternalIds, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { CompanyLookup } from '../../companies/company-lookup';
import { toCompany } from '../../companies/company.mapper';
import { ContactLookup } from '../../contacts/contact-lookup';
import { toContact } from '../../contacts/contact.mapper';
import { ExternalObject, ExternalRefRepository } from '../external-ref.repository';

/** Reads by external id: one record (NOT_FOUND when unknown or not live), or the CRM ids of many. */
@Controller()
export class LookupExternalHandler {
  constructor(
    private readonly refs: ExternalRefRepository,
    private readonly contacts: ContactLookup,
    private readonly companies: CompanyLookup,
  ) {}

  @OnRpc(getContactByExternalId, { scope: 'tenant' })
  async contact({ system, externalId }: RpcRequest<typeof getContactByExternalId>, { tenantId }: TenantCallContext) {
    return toContact(await this.contacts.live(tenantId, await this.liveId(tenantId, 'contact', system, externalId)));
  }

  @OnRpc(getCompanyByExternalId, { scope: 'tenant' })
  async company({ system, externalId }: RpcRequest<typeof getCompanyByExternalId>, { tenantId }: TenantCallContext) {
    return toCompany(await this.companies.live(tenantId, await this.liveId(tenantId, 'company', system, externalId)));
  }

  @OnRpc(resolveContactExternalIds, { scope: 'tenant' })
  async resolve({ system, externalIds }: RpcRequest<typeof resolveContactExternalIds>, { tenantId }: TenantCallContext) {
    const known = await this.refs.resolve(tenantId, 'contact', system, externalIds);
    return { ids: Object.fromEntries([...known].filter(([, ref]) => ref.live).map(([externalId, ref]) => [externalId, ref.recordId])) };
  }

  private async liveId(tenantId: string, object: ExternalObject, system: string, externalId: string): Promise<string> {
    const ref = (await this.refs.resolve(tenantId, object, system, [externalId])).get(externalId);
    if (!ref?.live) throw new DomainError('NOT_FOUND', `no ${object} with external id ${externalId} in ${system}`);
    return ref.recordId;
  }
}
