import { KB_ARTICLE_STATUSES, kbArticleInputSchema, kbArticlePatchSchema } from '@crm/contracts';
import { z } from 'zod';

export const createKbArticleBodySchema = kbArticleInputSchema;
export type CreateKbArticleBody = z.infer<typeof createKbArticleBodySchema>;
/** PATCH: absent fields stay; `status: published` publishes a draft, `draft` takes it back. */
export const updateKbArticleBodySchema = kbArticlePatchSchema;
export type UpdateKbArticleBody = z.infer<typeof updateKbArticleBodySchema>;
export const createKbCategoryBodySchema = z.object({ name: z.string().trim().min(1).max(200), position: z.number().int().min(0).max(10_000).default(0) });
export type CreateKbCategoryBody = z.infer<typeof createKbCategoryBodySchema>;

const searchLimit = z.coerce.number().int().min(1).max(50).default(20);

/** GET /kb/articles: full-text search (websearch syntax) or the newest; drafts too, by status or category. */
export const searchKbArticlesQuerySchema = z.object({
  q: z.string().trim().max(500).optional(),
  status: z.enum(KB_ARTICLE_STATUSES).optional(),
  categoryId: z.uuid().optional(),
  limit: searchLimit,
});
export type SearchKbArticlesQuery = z.infer<typeof searchKbArticlesQuerySchema>;

/** GET /portal/kb/articles: the published articles, searched. */
export const portalKbQuerySchema = z.object({ q: z.string().trim().max(500).optional(), categoryId: z.uuid().optional(), limit: searchLimit });
export type PortalKbQuery = z.infer<typeof portalKbQuerySchema>;
/** GET /portal/kb/suggestions: what the customer is writing (subject and text). */
export const portalKbSuggestionsQuerySchema = z.object({ text: z.string().trim().min(1).max(5_000), limit: z.coerce.number().int().min(1).max(10).default(5) });
export type PortalKbSuggestionsQuery = z.infer<typeof portalKbSuggestionsQuerySchema>;
