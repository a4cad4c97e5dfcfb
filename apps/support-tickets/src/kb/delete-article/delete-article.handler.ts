import { Controller } from '@nestjs/common';
import { deleteKbArticle, kbArticleChanged, RpcRequest } from '@crm/contracts';
import { EventPublisher, OnRpc, TenantCallContext } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { KbRepository } from '../kb.repository';
import { toKbArticle } from '../kb.mapper';

/** Deletes an article (again: `deleted: false`), announced with `kb-article.changed`. */
@Controller()
export class DeleteKbArticleHandler {
  constructor(
    private readonly repository: KbRepository,
    private readonly events: EventPublisher,
  ) {}

  @OnRpc(deleteKbArticle, { scope: 'tenant' })
  @Transactional()
  async handle({ id }: RpcRequest<typeof deleteKbArticle>, { tenantId }: TenantCallContext) {
    const row = await this.repository.deleteArticle(tenantId, id);
    if (!row) return { deleted: false };
    const { body: _body, ...withoutBody } = toKbArticle(row);
    await this.events.publish(kbArticleChanged, { article: withoutBody, deleted: true }, { tenantId, subject: id, entityVersion: row.version + 1 });
    return { deleted: true };
  }
}
