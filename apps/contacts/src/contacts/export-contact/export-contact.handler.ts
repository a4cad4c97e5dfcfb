import { Controller } from '@nestjs/common';
import { exportContact, RpcRequest } from '@crm/contracts';
import { OnRpc, RpcCallContext } from '@crm/messaging';
import { requireRole } from '../../shared/roles';
import { tenantOf } from '../../shared/tenant';
import { ExportContactService } from './export-contact.service';

@Controller()
export class ExportContactHandler {
  constructor(private readonly service: ExportContactService) {}

  @OnRpc(exportContact)
  handle(request: RpcRequest<typeof exportContact>, context: RpcCallContext) {
    const tenantId = tenantOf(context);
    requireRole(context, ['admin', 'manager']);
    return this.service.export(tenantId, context.actor?.userId ?? '', request);
  }
}
