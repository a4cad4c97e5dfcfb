import { Controller } from '@nestjs/common';
import { RpcRequest, listContacts } from '@crm/contracts';
import { OnRpc, RpcCallContext } from '@crm/messaging';
import { tenantOf } from '../../shared/tenant';
import { ListContactsService } from './list-contacts.service';

@Controller()
export class ListContactsHandler {
  constructor(private readonly service: ListContactsService) {}

  @OnRpc(listContacts)
  handle(request: RpcRequest<typeof listContacts>, context: RpcCallContext) {
    return this.service.list(tenantOf(context), request);
  }
}
