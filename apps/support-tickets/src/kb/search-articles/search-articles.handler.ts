import { Controller } from '@nestjs/common';
import { RpcRequest, searchKbArticles } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { KbRepository } from '../kb.repository';
import { toKbHit } from '../kb.mapper';

/** Full-text search of the knowledge base, or suggestions for a ticket being written. */
@Controller()
export class SearchKbArticlesHandler {
  constructor(private readonly repository: KbRepository) {}

  @OnRpc(searchKbArticles, { scope: 'tenant' })
  async handle(request: RpcRequest<typeof searchKbArticles>, { tenantId }: TenantCallContext) {
    return { data: (await this.repository.search(tenantId, request)).map(toKbHit) };
  }
}
