import { Injectable } from '@nestjs/common';
import { listProducts, Product, RpcRequest } from '@crm/contracts';
import { keysetPage } from '@crm/service-kit';
import { SalesCursors } from '../../shared/sales-cursors';
import { PRODUCT_ORDER, ProductRepository } from '../product.repository';
import { toProduct } from '../product.table';

/** One page of the catalogue by name (keyset on name, id), filtered by active and by text in the name or SKU. */
@Injectable()
export class ListProductsService {
  constructor(
    private readonly products: ProductRepository,
    private readonly cursors: SalesCursors,
  ) {}

  async list(tenantId: string, { filter, cursor, limit }: RpcRequest<typeof listProducts>): Promise<{ data: Product[]; nextCursor: string | null }> {
    const rows = await this.products.list(tenantId, filter, this.cursors.decode(cursor, PRODUCT_ORDER.name), limit);
    const { page, nextCursor } = keysetPage(rows, limit, { name: PRODUCT_ORDER.name, byRelevance: false, sortKey: (row) => row.name }, this.cursors);
    return { data: page.map(toProduct), nextCursor };
  }
}
