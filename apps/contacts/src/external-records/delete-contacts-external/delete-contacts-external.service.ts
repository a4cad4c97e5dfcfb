import { Injectable } from '@nestjs/common';
import { contactDeleted, deleteContactsByExternalId, RpcRequest, RpcResponse } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { IMPORT_TRANSACTION, ImportAdapter } from '../../imports/import-batch';
import { failedResult, ItemFailure, itemResult, REPEATED, repeatedItems } from '../external-items';
import { ExternalRecordsRepository } from '../external-records.repository';

const NOT_FOUND = new ItemFailure('NOT_FOUND', 'No live contact has this external id.');

/**
 * Soft delete by external id, as DELETE does (restorable for the window), the batch in one
 * statement with one `contact.deleted` each. Unknown, already deleted: `failed` NOT_FOUND. The ref
 * stays: a later upsert of the id makes a new contact.
 */
@Injectable()
export class DeleteContactsExternalService {
  constructor(
    private readonly repository: ExternalRecordsRepository,
    private readonly events: EventPublisher,
  ) {}

  @Transactional<ImportAdapter>(IMPORT_TRANSACTION)
  async delete(tenantId: string, { system, items }: RpcRequest<typeof deleteContactsByExternalId>): Promise<RpcResponse<typeof deleteContactsByExternalId>> {
    const repeated = repeatedItems(items);
    const refs = await this.repository.refs({ tenantId, object: 'contact', system }, [...new Set(items.map((i) => i.externalId))]);
    const deletedAt = new Date();
    const deleted = new Map((await this.repository.softDeleteContacts(tenantId, [...new Set(refs.values())], deletedAt)).map((d) => [d.id, d.version]));
    await this.events.publishMany(
      contactDeleted,
      [...deleted].map(([contactId, entityVersion]) => ({
        data: { contactId, deletedAt: deletedAt.toISOString() },
        meta: { tenantId, subject: contactId, entityVersion },
      })),
    );
    return {
      results: items.map((item, index) => {
        if (repeated.has(index)) return failedResult(item, REPEATED);
        const id = refs.get(item.externalId);
        return id !== undefined && deleted.has(id) ? itemResult(item, 'deleted', { id }) : failedResult(item, NOT_FOUND);
      }),
    };
  }
}
