import { Controller } from '@nestjs/common';
import { RpcRequest, upsertContactsByExternalId } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { UpsertContactsExternalService } from './upsert-contacts-external.service';

@Controller()
export class UpsertContactsExternalHandler {
  constructor(private readonly service: UpsertContactsExternalService) {}

  @OnRpc(upsertContactsByExternalId, { scope: 'tenant' })
  handle(request: RpcRequest<typeof upsertContactsByExternalId>, { actor }: TenantCallContext) {
    return this.service.upsert(actor.tenantId, request);
  }
}
