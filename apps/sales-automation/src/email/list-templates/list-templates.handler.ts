import { Controller } from '@nestjs/common';
import { listEmailTemplates, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { ListEmailTemplatesService } from './list-templates.service';

@Controller()
export class ListEmailTemplatesHandler {
  constructor(private readonly service: ListEmailTemplatesService) {}

  @OnRpc(listEmailTemplates, { scope: 'tenant' })
  handle(request: RpcRequest<typeof listEmailTemplates>, { tenantId }: TenantCallContext) {
    return this.service.list(tenantId, request);
  }
}
