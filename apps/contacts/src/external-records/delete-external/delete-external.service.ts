import { Injectable } from '@nestjs/common';
import { DomainError, ExternalItemResult, externalDeleteRequestSchema, RpcResponse, upsertContactsByExternalId } from '@crm/contracts';
import { Transactional } from '@nestjs-cls/transactional';
import type { z } from 'zod';
import { DeleteCompanyService } from '../../companies/delete-company/delete-company.service';
import { DeleteContactService } from '../../contacts/delete-contact/delete-contact.service';
import { IMPORT_TRANSACTION, ImportAdapter } from '../../imports/import-batch';
import { ExternalObject, ExternalRefRepository } from '../external-ref.repository';
import { failed, outcome } from '../external-items';

type DeleteRequest = z.infer<typeof externalDeleteRequestSchema>;

/**
 * Soft deletes by external id, each as DELETE does (restorable, its event published): `deleted`,
 * or `failed` NOT_FOUND for an id no live record has. The external id stays with the deleted
 * record; an upsert of it later creates a new record.
 */
@Injectable()
export class DeleteExternalService {
  constructor(
    private readonly refs: ExternalRefRepository,
    private readonly contacts: DeleteContactService,
    private readonly companies: DeleteCompanyService,
  ) {}

  @Transactional<ImportAdapter>(IMPORT_TRANSACTION)
  async delete(tenantId: string, object: ExternalObject, { system, items }: DeleteRequest): Promise<RpcResponse<typeof upsertContactsByExternalId>> {
    const known = await this.refs.resolve(tenantId, object, system, items.map((item) => item.externalId));
    const results: ExternalItemResult[] = [];
    for (const item of items) {
      const ref = known.get(item.externalId);
      try {
        if (!ref?.live) throw new DomainError('NOT_FOUND', `no ${object} with external id ${item.externalId} in ${system}`);
        if (object === 'contact') await this.contacts.delete(tenantId, { id: ref.recordId });
        else await this.companies.delete(tenantId, { id: ref.recordId });
        results.push(outcome(item, { outcome: 'deleted', id: ref.recordId }));
      } catch (error) {
        results.push(failed(item, error));
      }
    }
    return { results };
  }
}
