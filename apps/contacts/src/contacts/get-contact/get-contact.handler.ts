import { Controller } from '@nestjs/common';
import { RpcRequest, getContact } from '@crm/contracts';
import { OnRpc, RpcCallContext } from '@crm/messaging';
import { tenantOf } from '../../shared/tenant';
import { ContactLookup } from '../contact-lookup';
import { toContact } from '../contact.mapper';

@Controller()
export class GetContactHandler {
  constructor(private readonly lookup: ContactLookup) {}

  @OnRpc(getContact)
  async handle({ id }: RpcRequest<typeof getContact>, context: RpcCallContext) {
    return toContact(await this.lookup.visible(tenantOf(context), id));
  }
}
