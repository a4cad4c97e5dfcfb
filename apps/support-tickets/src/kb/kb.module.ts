import { Module } from '@nestjs/common';
import { KbCategoriesHandler } from './categories/kb-categories.handler';
import { CreateKbArticleHandler } from './create-article/create-article.handler';
import { CreateKbArticleService } from './create-article/create-article.service';
import { DeleteKbArticleHandler } from './delete-article/delete-article.handler';
import { GetKbArticleHandler } from './get-article/get-article.handler';
import { KbRepository } from './kb.repository';
import { SearchKbArticlesHandler } from './search-articles/search-articles.handler';
import { UpdateKbArticleHandler } from './update-article/update-article.handler';
import { UpdateKbArticleService } from './update-article/update-article.service';

/** The knowledge base: categories, articles (draft, published), full-text search and suggestions. */
@Module({
  controllers: [KbCategoriesHandler, CreateKbArticleHandler, UpdateKbArticleHandler, GetKbArticleHandler, DeleteKbArticleHandler, SearchKbArticlesHandler],
  providers: [KbRepository, CreateKbArticleService, UpdateKbArticleService],
})
export class KbModule {}
