import { DomainError, KbArticle } from '@crm/contracts';
import { validationFailed } from '../tickets/ticket-errors';
import type { KbArticleRow, KbCategoryRow, KbHitRow } from './kb.repository';
import { isoTimestamp as iso } from '@crm/service-kit';


export function toKbArticle(row: KbArticleRow): KbArticle {
  return {
    id: row.id,
    categoryId: row.category_id,
    title: row.title,
    body: row.body,
    status: row.status as KbArticle['status'],
    tags: row.tags,
    publishedAt: row.published_at && iso(row.published_at),
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export function toKbHit(row: KbHitRow) {
  const { body: _body, ...article } = toKbArticle({ ...row, body: '' });
  return { ...article, snippet: row.snippet, rank: Number(row.rank) };
}

export const toKbCategory = (row: KbCategoryRow) => ({ id: row.id, name: row.name, position: row.position, createdAt: iso(row.created_at) });

/** Missing, another tenant's, and (on the portal) a draft answer the same. */
export const kbArticleNotFound = (id: string) => new DomainError('NOT_FOUND', `article ${id} not found.`);

export const unknownCategory = () => validationFailed([{ path: 'categoryId', message: 'is not a category of this knowledge base' }]);
