import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Actor, createKbArticle, createKbCategory, deleteKbArticle, getKbArticle, listKbCategories, searchKbArticles, updateKbArticle } from '@crm/contracts';
import { ApiZodResponse, UuidParamPipe, VersionEtag, versionFromIfMatch, ZodValidationPipe } from '@crm/service-kit';
import type { FastifyReply } from 'fastify';
import { CurrentActor } from '../../authz/current-actor.decorator';
import { RequirePermission } from '../../authz/require-permission.decorator';
import { ServiceBus } from '../../edge/service-bus';
import {
  CreateKbArticleBody,
  createKbArticleBodySchema,
  CreateKbCategoryBody,
  createKbCategoryBodySchema,
  SearchKbArticlesQuery,
  searchKbArticlesQuerySchema,
  UpdateKbArticleBody,
  updateKbArticleBodySchema,
} from './kb.dto';

/** The knowledge base, as agents write it: articles (draft, published) and full-text search. */
@Controller('api/v1/kb/articles')
@VersionEtag()
export class KbArticlesController {
  constructor(private readonly bus: ServiceBus) {}

  @ApiOperation({ operationId: 'searchKbArticles', summary: 'Search articles (q: words, "a phrase", -not, or; best match first, with snippets) or list the newest' })
  @ApiZodResponse(200, searchKbArticles.response)
  @Get()
  @RequirePermission('kb-articles', 'read')
  search(@Query(new ZodValidationPipe(searchKbArticlesQuerySchema)) query: SearchKbArticlesQuery, @CurrentActor() actor: Actor) {
    return this.bus.relay(searchKbArticles, { ...query, publishedOnly: false }, actor);
  }

  @ApiOperation({ operationId: 'createKbArticle', summary: 'Write an article (a draft unless status is published)' })
  @ApiZodResponse(201, createKbArticle.response)
  @Post()
  @RequirePermission('kb-articles', 'create')
  async create(
    @Body(new ZodValidationPipe(createKbArticleBodySchema)) article: CreateKbArticleBody,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const created = await this.bus.call(createKbArticle, { article }, actor, { bodyAt: 'article' });
    void reply.status(201).header('location', `/api/v1/kb/articles/${created.id}`);
    return created;
  }

  @ApiOperation({ operationId: 'getKbArticle', summary: 'Get an article (ETag: its version)' })
  @ApiZodResponse(200, getKbArticle.response)
  @Get(':id')
  @RequirePermission('kb-articles', 'read')
  get(@Param('id', new UuidParamPipe()) id: string, @CurrentActor() actor: Actor) {
    return this.bus.call(getKbArticle, { id, publishedOnly: false }, actor);
  }

  @ApiOperation({ operationId: 'updateKbArticle', summary: 'Change an article, publish it or take it back to draft (If-Match: conditional)' })
  @ApiZodResponse(200, updateKbArticle.response)
  @Patch(':id')
  @RequirePermission('kb-articles', 'update')
  update(
    @Param('id', new UuidParamPipe()) id: string,
    @Body(new ZodValidationPipe(updateKbArticleBodySchema)) patch: UpdateKbArticleBody,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentActor() actor: Actor,
  ) {
    return this.bus.call(updateKbArticle, { id, patch, expectedVersion: versionFromIfMatch(ifMatch) }, actor, { bodyAt: 'patch' });
  }

  @ApiOperation({ operationId: 'deleteKbArticle', summary: 'Delete an article' })
  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('kb-articles', 'delete')
  async delete(@Param('id', new UuidParamPipe()) id: string, @CurrentActor() actor: Actor): Promise<void> {
    await this.bus.call(deleteKbArticle, { id }, actor);
  }
}

/** The knowledge base's categories. */
@Controller('api/v1/kb/categories')
export class KbCategoriesController {
  constructor(private readonly bus: ServiceBus) {}

  @ApiOperation({ operationId: 'listKbCategories', summary: 'List the categories, in their position order' })
  @ApiZodResponse(200, listKbCategories.response)
  @Get()
  @RequirePermission('kb-articles', 'read')
  list(@CurrentActor() actor: Actor) {
    return this.bus.relay(listKbCategories, {}, actor);
  }

  @ApiOperation({ operationId: 'createKbCategory', summary: 'Add a category (a name once: 409 again)' })
  @ApiZodResponse(201, createKbCategory.response)
  @Post()
  @HttpCode(201)
  @RequirePermission('kb-articles', 'create')
  create(@Body(new ZodValidationPipe(createKbCategoryBodySchema)) category: CreateKbCategoryBody, @CurrentActor() actor: Actor) {
    return this.bus.call(createKbCategory, { category }, actor, { bodyAt: 'category' });
  }
}
