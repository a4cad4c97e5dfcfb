import { randomUUID } from 'node:crypto';
import { Controller } from '@nestjs/common';
import { createKbCategory, DomainError, listKbCategories, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { Clock } from '@crm/service-kit';
import { KbRepository } from '../kb.repository';
import { toKbCategory } from '../kb.mapper';

/** The knowledge base's categories: a name once per tenant (again: CONFLICT), in their position order. */
@Controller()
export class KbCategoriesHandler {
  constructor(
    private readonly repository: KbRepository,
    private readonly clock: Clock,
  ) {}

  @OnRpc(createKbCategory, { scope: 'tenant' })
  async create({ category }: RpcRequest<typeof createKbCategory>, { tenantId }: TenantCallContext) {
    const row = await this.repository.insertCategory(tenantId, { id: randomUUID(), ...category }, this.clock.now());
    if (!row) throw new DomainError('CONFLICT', `A category named "${category.name}" exists already.`);
    return toKbCategory(row);
  }

  @OnRpc(listKbCategories, { scope: 'tenant' })
  async list(_request: RpcRequest<typeof listKbCategories>, { tenantId }: TenantCallContext) {
    return { data: (await this.repository.listCategories(tenantId)).map(toKbCategory) };
  }
}
