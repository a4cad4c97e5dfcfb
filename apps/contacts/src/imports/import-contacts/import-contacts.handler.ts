import { Controller } from '@nestjs/common';
import { importContacts, RpcRequest } from '@crm/contracts';
import { OnRpc, RpcCallContext } from '@crm/messaging';
import { tenantOf } from '../../shared/tenant';
import { ImportContactsService } from './import-contacts.service';

@Controller()
export class ImportContactsHandler {
  constructor(private readonly service: ImportContactsService) {}

  @OnRpc(importContacts)
  handle(request: RpcRequest<typeof importContacts>, context: RpcCallContext) {
    return this.service.import(tenantOf(context), request);
  }
}
