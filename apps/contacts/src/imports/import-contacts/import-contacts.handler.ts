import { Controller } from '@nestjs/common';
import { importContacts, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { ImportContactsService } from './import-contacts.service';

@Controller()
export class ImportContactsHandler {
  constructor(private readonly service: ImportContactsService) {}

  @OnRpc(importContacts, { scope: 'tenant' })
  handle(request: RpcRequest<typeof importContacts>, { tenantId }: TenantCallContext) {
    return this.service.import(tenantId, request);
  }
}
