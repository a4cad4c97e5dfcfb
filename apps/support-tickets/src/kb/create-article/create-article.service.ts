import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { createKbArticle, kbArticlePublished, RpcRequest } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Clock } from '@crm/service-kit';
import { Transactional } from '@nestjs-cls/transactional';
import { KbRepository } from '../kb.repository';
import { toKbArticle, unknownCategory } from '../kb.mapper';

/** A new article, a draft or published at once (then `kb-article.published`). */
@Injectable()
export class CreateKbArticleService {
  constructor(
    private readonly repository: KbRepository,
    private readonly events: EventPublisher,
    private readonly clock: Clock,
  ) {}

  @Transactional()
  async create(tenantId: string, { article }: RpcRequest<typeof createKbArticle>) {
    if (article.categoryId && !(await this.repository.categoryExists(tenantId, article.categoryId))) throw unknownCategory();
    const row = await this.repository.insertArticle(tenantId, randomUUID(), { ...article, tags: [...new Set(article.tags)] }, this.clock.now());
    await this.repository.refreshSearch(tenantId, row.id);
    const view = toKbArticle(row);
    if (row.status === 'published') {
      const { body: _body, ...withoutBody } = view;
      await this.events.publish(kbArticlePublished, { article: withoutBody }, { tenantId, subject: row.id, entityVersion: row.version });
    }
    return view;
  }
}
