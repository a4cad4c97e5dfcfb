import { Controller } from '@nestjs/common';
import { ContactDetail, RpcRequest, getContact } from '@crm/contracts';
import { JsonReply, OnRpc, TenantCallContext } from '@crm/messaging';
import { ContactLookup } from '../contact-lookup';

@Controller()
export class GetContactHandler {
  constructor(private readonly lookup: ContactLookup) {}

  /**
   * The contact with its purchases (lifetime value per currency, last purchase) from its orders,
   * as JSON written by Postgres and handed on unread, with its version for the gateway's ETag.
   */
  @OnRpc(getContact, { scope: 'tenant' })
  async handle({ id }: RpcRequest<typeof getContact>, { tenantId }: TenantCallContext): Promise<JsonReply<ContactDetail>> {
    const { json, version } = await this.lookup.visibleDetail(tenantId, id);
    return new JsonReply<ContactDetail>(json, version);
  }
}
