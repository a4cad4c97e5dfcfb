import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Actor, createProduct, deleteProduct, getProduct, listProducts, updateProduct } from '@crm/contracts';
import type { FastifyReply } from 'fastify';
import { CurrentActor } from '../../../authz/current-actor.decorator';
import { RequirePermission } from '../../../authz/require-permission.decorator';
import { ServiceBus } from '../../../edge/service-bus';
import { UuidParamPipe } from '@crm/service-kit';
import { VersionEtag } from '@crm/service-kit';
import { versionFromIfMatch } from '@crm/service-kit';
import { ZodValidationPipe } from '@crm/service-kit';
import { ApiZodResponse } from '@crm/service-kit';
import {
  CreateProductBody,
  createProductBodySchema,
  ListProductsQuery,
  listProductsQuerySchema,
  UpdateProductBody,
  updateProductBodySchema,
} from './products.dto';

/** The product catalogue of the tenant. Each route is one command or query to the sales-automation service. */
@Controller('api/v1/products')
@VersionEtag()
export class ProductsController {
  constructor(private readonly bus: ServiceBus) {}

  @ApiOperation({ operationId: 'createProduct', summary: 'Add a product to the catalogue (409 naming `sku` or `externalId` when taken)' })
  @ApiZodResponse(201, createProduct.response)
  @Post()
  @RequirePermission('products', 'create')
  async create(
    @Body(new ZodValidationPipe(createProductBodySchema)) product: CreateProductBody,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const created = await this.bus.call(createProduct, { product }, actor, { bodyAt: 'product' });
    void reply.status(201).header('location', `/api/v1/products/${created.id}`);
    return created;
  }

  @ApiOperation({ operationId: 'listProducts', summary: 'List the catalogue by name (filter: active, q in the name or SKU)' })
  @ApiZodResponse(200, listProducts.response)
  @Get()
  @RequirePermission('products', 'read')
  list(@Query(new ZodValidationPipe(listProductsQuerySchema)) query: ListProductsQuery, @CurrentActor() actor: Actor) {
    const { cursor, limit, ...filter } = query;
    return this.bus.relay(listProducts, { filter, cursor, limit }, actor);
  }

  @ApiOperation({ operationId: 'getProduct', summary: 'Get a product (ETag: its version)' })
  @ApiZodResponse(200, getProduct.response)
  @Get(':id')
  @RequirePermission('products', 'read')
  get(@Param('id', new UuidParamPipe()) id: string, @CurrentActor() actor: Actor) {
    return this.bus.relay(getProduct, { id }, actor);
  }

  @ApiOperation({ operationId: 'updateProduct', summary: 'Update a product (If-Match: conditional)' })
  @ApiZodResponse(200, updateProduct.response)
  @Patch(':id')
  @RequirePermission('products', 'update')
  update(
    @Param('id', new UuidParamPipe()) id: string,
    @Body(new ZodValidationPipe(updateProductBodySchema)) patch: UpdateProductBody,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentActor() actor: Actor,
  ) {
    return this.bus.call(updateProduct, { id, patch, expectedVersion: versionFromIfMatch(ifMatch) }, actor, { bodyAt: 'patch' });
  }

  @ApiOperation({ operationId: 'deleteProduct', summary: 'Remove a product from the catalogue (orders keep their copy; If-Match: conditional)' })
  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('products', 'delete')
  async delete(@Param('id', new UuidParamPipe()) id: string, @Headers('if-match') ifMatch: string | undefined, @CurrentActor() actor: Actor) {
    await this.bus.call(deleteProduct, { id, expectedVersion: versionFromIfMatch(ifMatch) }, actor);
  }
}
