import { Injectable } from '@nestjs/common';
import { DomainError, kbArticleChanged, kbArticlePublished, RpcRequest, updateKbArticle } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Clock } from '@crm/service-kit';
import { Transactional } from '@nestjs-cls/transactional';
import { KbRepository } from '../kb.repository';
import { checkVersion } from '../../tickets/ticket-errors';
import { kbArticleNotFound, toKbArticle, unknownCategory } from '../kb.mapper';

/**
 * Changes an article (If-Match: conditional). Publishing a draft stamps `publishedAt` and announces
 * it; taking it back to draft clears it (the portal stops showing it at once).
 */
@Injectable()
export class UpdateKbArticleService {
  constructor(
    private readonly repository: KbRepository,
    private readonly events: EventPublisher,
    private readonly clock: Clock,
  ) {}

  @Transactional()
  async update(tenantId: string, { id, expectedVersion, patch }: RpcRequest<typeof updateKbArticle>) {
    const row = await this.repository.find(tenantId, id);
    if (!row) throw kbArticleNotFound(id);
    checkVersion(expectedVersion, row.version, 'article');
    if (patch.categoryId && !(await this.repository.categoryExists(tenantId, patch.categoryId))) throw unknownCategory();
    const at = this.clock.now();
    const fields = {
      title: patch.title ?? row.title,
      body: patch.body ?? row.body,
      categoryId: patch.categoryId === undefined ? row.category_id : patch.categoryId,
      status: patch.status ?? row.status,
      tags: patch.tags ? [...new Set(patch.tags)] : row.tags,
    };
    const publishes = fields.status === 'published' && row.status !== 'published';
    const publishedAt = fields.status === 'published' ? (publishes ? at : row.published_at) : null;
    const updated = await this.repository.updateArticle(tenantId, id, row.version, fields, publishedAt, at);
    if (!updated) throw new DomainError('PRECONDITION_FAILED', 'The article changed meanwhile; read it again.');
    await this.repository.refreshSearch(tenantId, id);
    const { body: _body, ...withoutBody } = toKbArticle(updated);
    const meta = { tenantId, subject: id, entityVersion: updated.version };
    if (publishes) await this.events.publish(kbArticlePublished, { article: withoutBody }, meta);
    else await this.events.publish(kbArticleChanged, { article: withoutBody, deleted: false }, meta);
    return toKbArticle(updated);
  }
}
