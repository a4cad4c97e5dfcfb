import { Controller } from '@nestjs/common';
import { RpcRequest, updateKbArticle } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { UpdateKbArticleService } from './update-article.service';

@Controller()
export class UpdateKbArticleHandler {
  constructor(private readonly service: UpdateKbArticleService) {}

  @OnRpc(updateKbArticle, { scope: 'tenant' })
  handle(request: RpcRequest<typeof updateKbArticle>, { tenantId }: TenantCallContext) {
    return this.service.update(tenantId, request);
  }
}
