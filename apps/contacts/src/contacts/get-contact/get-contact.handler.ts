import { Controller } from '@nestjs/common';
import { ContactDetail, RpcRequest, getContact } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { ContactLookup } from '../contact-lookup';
import { toContact } from '../contact.mapper';

@Controller()
export class GetContactHandler {
  constructor(private readonly lookup: ContactLookup) {}

  /** The contact with its purchases (lifetime value per currency, last purchase) from its orders. */
  @OnRpc(getContact, { scope: 'tenant' })
  async handle({ id }: RpcRequest<typeof getContact>, { tenantId }: TenantCallContext): Promise<ContactDetail> {
    const { purchases, ...row } = await this.lookup.visibleWithPurchases(tenantId, id);
    const { lastPurchaseAt, lifetimeValue } = purchases;
    return { ...toContact(row), lastPurchaseAt: lastPurchaseAt?.toISOString() ?? null, lifetimeValue };
  }
}
