import { Controller } from '@nestjs/common';
import { mergeContacts, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { MergeContactsService } from './merge-contacts.service';

@Controller()
export class MergeContactsHandler {
  constructor(private readonly service: MergeContactsService) {}

  @OnRpc(mergeContacts, { scope: 'tenant' })
  handle(request: RpcRequest<typeof mergeContacts>, { tenantId }: TenantCallContext) {
    return this.service.merge(tenantId, request);
  }
}
