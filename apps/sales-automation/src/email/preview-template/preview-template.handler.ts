import { Controller } from '@nestjs/common';
import { previewEmailTemplate, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { PreviewEmailTemplateService } from './preview-template.service';

@Controller()
export class PreviewEmailTemplateHandler {
  constructor(private readonly service: PreviewEmailTemplateService) {}

  @OnRpc(previewEmailTemplate, { scope: 'tenant' })
  handle(request: RpcRequest<typeof previewEmailTemplate>, { tenantId }: TenantCallContext) {
    return this.service.preview(tenantId, request);
  }
}
