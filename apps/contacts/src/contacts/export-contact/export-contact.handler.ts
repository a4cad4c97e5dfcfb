import { Controller } from '@nestjs/common';
import { exportContact, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { ExportContactService } from './export-contact.service';

@Controller()
export class ExportContactHandler {
  constructor(private readonly service: ExportContactService) {}

  @OnRpc(exportContact, { scope: 'tenant', roles: ['admin', 'manager'] })
  handle(request: RpcRequest<typeof exportContact>, { tenantId, actor }: TenantCallContext) {
    return this.service.export(tenantId, actor.userId, request);
  }
}
