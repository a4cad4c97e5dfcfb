import { Module } from '@nestjs/common';
import { SalesCursors } from '../shared/sales-cursors';
import { CreateProductHandler } from './create-product/create-product.handler';
import { CreateProductService } from './create-product/create-product.service';
import { DeleteProductHandler } from './delete-product/delete-product.handler';
import { DeleteProductService } from './delete-product/delete-product.service';
import { GetProductHandler } from './get-product/get-product.handler';
import { ListProductsHandler } from './list-products/list-products.handler';
import { ListProductsService } from './list-products/list-products.service';
import { ProductRepository } from './product.repository';
import { UpdateProductHandler } from './update-product/update-product.handler';
import { UpdateProductService } from './update-product/update-product.service';

/** The product catalogue per tenant. ProductRepository is exported for orders (lines priced from it). */
@Module({
  controllers: [CreateProductHandler, GetProductHandler, ListProductsHandler, UpdateProductHandler, DeleteProductHandler],
  providers: [ProductRepository, SalesCursors, CreateProductService, ListProductsService, UpdateProductService, DeleteProductService],
  exports: [ProductRepository, SalesCursors],
})
export class ProductsModule {}
