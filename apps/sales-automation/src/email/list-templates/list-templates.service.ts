import { Injectable } from '@nestjs/common';
import { listEmailTemplates, RpcRequest, RpcResponse } from '@crm/contracts';
import { keysetPage } from '@crm/service-kit';
import { SalesCursors } from '../../shared/sales-cursors';
import { toEmailTemplate } from '../templates/email-template.mapper';
import { EmailTemplateRepository } from '../templates/email-template.repository';

const ORDER = 'created';

@Injectable()
export class ListEmailTemplatesService {
  constructor(
    private readonly repository: EmailTemplateRepository,
    private readonly cursors: SalesCursors,
  ) {}

  async list(tenantId: string, { purpose, cursor, limit }: RpcRequest<typeof listEmailTemplates>): Promise<RpcResponse<typeof listEmailTemplates>> {
    const after = this.cursors.decode(cursor, ORDER);
    const rows = await this.repository.list(tenantId, { purpose, after: after && { createdAt: new Date(String(after.key)), id: after.id }, limit });
    const { page, nextCursor } = keysetPage(rows, limit, { name: ORDER, byRelevance: false, sortKey: (row) => new Date(row.created_at).toISOString() }, this.cursors);
    return { data: page.map(toEmailTemplate), nextCursor };
  }
}
