import { Controller } from '@nestjs/common';
import { ContactDetail, RpcRequest, getContact } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { ActivityRepository } from '../../activities/activity.repository';
import { ContactLookup } from '../contact-lookup';
import { toContact } from '../contact.mapper';

@Controller()
export class GetContactHandler {
  constructor(
    private readonly lookup: ContactLookup,
    private readonly activities: ActivityRepository,
  ) {}

  /** The contact with its purchases (lifetime value per currency, last purchase) from its orders. */
  @OnRpc(getContact, { scope: 'tenant' })
  async handle({ id }: RpcRequest<typeof getContact>, { tenantId }: TenantCallContext): Promise<ContactDetail> {
    const contact = toContact(await this.lookup.visible(tenantId, id));
    const { lastPurchaseAt, lifetimeValue } = await this.activities.purchases(tenantId, id);
    return { ...contact, lastPurchaseAt: lastPurchaseAt?.toISOString() ?? null, lifetimeValue };
  }
}
