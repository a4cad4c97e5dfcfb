import { Controller } from '@nestjs/common';
import { Contact, getContactByExternalId, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { ContactLookup } from '../../contacts/contact-lookup';
import { toContact } from '../../contacts/contact.mapper';
import { notFound } from '../../shared/errors';
import { ExternalRecordsRepository } from '../external-records.repository';

@Controller()
export class GetContactExternalHandler {
  constructor(
    private readonly repository: ExternalRecordsRepository,
    private readonly lookup: ContactLookup,
  ) {}

  /** The contact as GET answers it (live only): NOT_FOUND when the id is unknown or its contact deleted. */
  @OnRpc(getContactByExternalId, { scope: 'tenant' })
  async handle({ system, externalId }: RpcRequest<typeof getContactByExternalId>, { tenantId }: TenantCallContext): Promise<Contact> {
    const id = (await this.repository.refs({ tenantId, object: 'contact', system }, [externalId])).get(externalId);
    if (id === undefined) throw notFound('contact', `${system}:${externalId}`);
    return toContact(await this.lookup.live(tenantId, id));
  }
}
