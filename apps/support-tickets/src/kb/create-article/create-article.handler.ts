import { Controller } from '@nestjs/common';
import { createKbArticle, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { CreateKbArticleService } from './create-article.service';

@Controller()
export class CreateKbArticleHandler {
  constructor(private readonly service: CreateKbArticleService) {}

  @OnRpc(createKbArticle, { scope: 'tenant' })
  handle(request: RpcRequest<typeof createKbArticle>, { tenantId }: TenantCallContext) {
    return this.service.create(tenantId, request);
  }
}
