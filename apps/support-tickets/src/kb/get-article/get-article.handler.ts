import { Controller } from '@nestjs/common';
import { getKbArticle, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { KbRepository } from '../kb.repository';
import { kbArticleNotFound, toKbArticle } from '../kb.mapper';

/** One article; with `publishedOnly` (the portal) a draft is not found. */
@Controller()
export class GetKbArticleHandler {
  constructor(private readonly repository: KbRepository) {}

  @OnRpc(getKbArticle, { scope: 'tenant' })
  async handle({ id, publishedOnly }: RpcRequest<typeof getKbArticle>, { tenantId }: TenantCallContext) {
    const row = await this.repository.find(tenantId, id);
    if (!row || (publishedOnly && row.status !== 'published')) throw kbArticleNotFound(id);
    return toKbArticle(row);
  }
}
