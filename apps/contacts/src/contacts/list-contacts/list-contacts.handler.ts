import { Controller } from '@nestjs/common';
import { RpcRequest, listContacts } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { ListContactsService } from './list-contacts.service';

@Controller()
export class ListContactsHandler {
  constructor(private readonly service: ListContactsService) {}

  @OnRpc(listContacts, { scope: 'tenant' })
  handle(request: RpcRequest<typeof listContacts>, { tenantId }: TenantCallContext) {
    return this.service.list(tenantId, request);
  }
}
