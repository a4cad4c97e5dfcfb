import { Module } from '@nestjs/common';
import { SalesCursors } from '../shared/sales-cursors';
import { CreateProductHandler } from './create-product/create-product.handler';
import { CreateProductService } from './create-product/create-product.service';
import { DeleteProductHandler } from './delete-product/delete-product.handler';
import { DeleteProductService } from './delete-product/delete-product.service';
import { GetProductHandler } from './get-product/get-product.handler';
import { ListProductsHandler } from './list-products/list-products.handler';
import { ListProductsService } from './list-products/list-products.service';
import { DeleteProductsExternalHandler } from './delete-products-external/delete-products-external.handler';
import { DeleteProductsExternalService } from './delete-products-external/delete-products-external.service';
import { GetProductExternalHandler } from './get-product-external/get-product-external.handler';
import { ProductExternalRepository } from './product-external.repository';
import { ProductRepository } from './product.repository';
import { UpsertProductsExternalHandler } from './upsert-products-external/upsert-products-external.handler';
import { UpsertProductsExternalService } from './upsert-products-external/upsert-products-external.service';
import { UpdateProductHandler } from './update-product/update-product.handler';
import { UpdateProductService } from './update-product/update-product.service';

/**
 * The product catalogue per tenant, and its upserts by an ERP's ids. ProductRepository and
 * ProductExternalRepository are exported for orders (lines priced from it, named by external id).
 */
@Module({
  controllers: [
    CreateProductHandler,
    GetProductHandler,
    ListProductsHandler,
    UpdateProductHandler,
    DeleteProductHandler,
    UpsertProductsExternalHandler,
    DeleteProductsExternalHandler,
    GetProductExternalHandler,
  ],
  providers: [
    ProductRepository,
    ProductExternalRepository,
    SalesCursors,
    CreateProductService,
    ListProductsService,
    UpdateProductService,
    DeleteProductService,
    UpsertProductsExternalService,
    DeleteProductsExternalService,
  ],
  exports: [ProductRepository, ProductExternalRepository, SalesCursors],
})
export class ProductsModule {}
