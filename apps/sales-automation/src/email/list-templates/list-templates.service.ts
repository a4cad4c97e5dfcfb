import { Injectable } from '@nestjs/common';
import { listEmailTemplates, RpcRequest, RpcResponse } from '@crm/contracts';
import { SalesCursors } from '../../shared/sales-cursors';
import { toEmailTemplate } from '../templates/email-template.mapper';
import { EmailTemplateRepository } from '../templates/email-template.repository';

@Injectable()
export class ListEmailTemplatesService {
  constructor(
    private readonly repository: EmailTemplateRepository,
    private readonly cursors: SalesCursors,
  ) {}

  async list(tenantId: string, { purpose, cursor, limit }: RpcRequest<typeof listEmailTemplates>): Promise<RpcResponse<typeof listEmailTemplates>> {
    const rows = await this.repository.list(tenantId, { purpose, after: this.cursors.createdAfter(cursor), limit });
    return this.cursors.createdPage(rows, limit, toEmailTemplate);
  }
}
