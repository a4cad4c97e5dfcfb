import { Controller } from '@nestjs/common';
import { mergeContacts, RpcRequest } from '@crm/contracts';
import { OnRpc, RpcCallContext } from '@crm/messaging';
import { tenantOf } from '../../shared/tenant';
import { MergeContactsService } from './merge-contacts.service';

@Controller()
export class MergeContactsHandler {
  constructor(private readonly service: MergeContactsService) {}

  @OnRpc(mergeContacts)
  handle(request: RpcRequest<typeof mergeContacts>, context: RpcCallContext) {
    return this.service.merge(tenantOf(context), request);
  }
}
