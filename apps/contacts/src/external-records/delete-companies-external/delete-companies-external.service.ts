import { Injectable } from '@nestjs/common';
import { companyDeleted, deleteCompaniesByExternalId, DomainError, RpcRequest, RpcResponse } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { CompanyRepository } from '../../companies/company.repository';
import { IMPORT_TRANSACTION, ImportAdapter } from '../../imports/import-batch';
import { failedResult, ItemFailure, itemResult, REPEATED, repeatedItems } from '../external-items';
import { ExternalRecordsRepository } from '../external-records.repository';

const NOT_FOUND = new ItemFailure('NOT_FOUND', 'No live company has this external id.');

/** Soft delete by external id, as DELETE does (one `company.deleted` each); unknown or already deleted: `failed` NOT_FOUND. */
@Injectable()
export class DeleteCompaniesExternalService {
  constructor(
    private readonly repository: ExternalRecordsRepository,
    private readonly companies: CompanyRepository,
    private readonly events: EventPublisher,
  ) {}

  @Transactional<ImportAdapter>(IMPORT_TRANSACTION)
  async delete(tenantId: string, { system, items }: RpcRequest<typeof deleteCompaniesByExternalId>): Promise<RpcResponse<typeof deleteCompaniesByExternalId>> {
    const repeated = repeatedItems(items);
    const refs = await this.repository.liveRefs(tenantId, 'company', system, [...new Set(items.map((i) => i.externalId))]);
    const known = await this.repository.liveCompanies(tenantId, [...new Set(refs.values())]);
    const results = [];
    for (const [index, item] of items.entries()) {
      const id = refs.get(item.externalId);
      const row = id !== undefined ? known.get(id) : undefined;
      if (repeated.has(index) || !row) {
        results.push(failedResult(item, repeated.has(index) ? REPEATED : NOT_FOUND));
        continue;
      }
      const deleted = await this.companies.update(tenantId, row.id, row.version, { deletedAt: new Date() });
      if (!deleted?.deletedAt) throw new DomainError('PRECONDITION_FAILED', 'A company changed meanwhile; send the batch again.');
      await this.events.publish(
        companyDeleted,
        { companyId: row.id, deletedAt: deleted.deletedAt.toISOString() },
        { tenantId, subject: row.id, entityVersion: deleted.version },
      );
      results.push(itemResult(item, 'deleted', { id: row.id }));
    }
    return { results };
  }
}
