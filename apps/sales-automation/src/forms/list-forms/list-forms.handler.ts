import { Controller } from '@nestjs/common';
import { listLeadForms, RpcRequest } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { SalesCursors } from '../../shared/sales-cursors';
import { toLeadForm } from '../lead-form.mapper';
import { LeadFormRepository } from '../lead-form.repository';

const SORT = 'forms:name';

/** The tenant's forms by name, cursor-paged. */
@Controller()
export class ListFormsHandler {
  constructor(
    private readonly forms: LeadFormRepository,
    private readonly cursors: SalesCursors,
  ) {}

  @OnRpc(listLeadForms, { scope: 'tenant' })
  async handle({ cursor, limit }: RpcRequest<typeof listLeadForms>, { tenantId }: TenantCallContext) {
    const after = this.cursors.decode(cursor, SORT);
    const rows = await this.forms.page(tenantId, after && { name: String(after.key), id: after.id }, limit);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { data: page.map(toLeadForm), nextCursor: rows.length > limit && last ? this.cursors.encode({ sort: SORT, key: last.name, id: last.id }) : null };
  }
}
