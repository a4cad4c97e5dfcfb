import { Injectable } from '@nestjs/common';
import { exportContact, RpcRequest } from '@crm/contracts';
import { OnRpc, RpcCallContext } from '@crm/messaging';
import { tenantOf } from '../../shared/tenant';
import { ExportContactService } from './export-contact.service';

@Injectable()
export class ExportContactHandler {
  constructor(private readonly service: ExportContactService) {}

  @OnRpc(exportContact)
  handle(request: RpcRequest<typeof exportContact>, context: RpcCallContext) {
    return this.service.export(tenantOf(context), request);
  }
}
