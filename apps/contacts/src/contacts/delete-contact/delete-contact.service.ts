import { Injectable } from '@nestjs/common';
import { Contact, contactDeleted, deleteContact, DomainError, RpcRequest } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { checkVersion } from '../../shared/errors';
import { ContactLookup } from '../contact-lookup';
import { toContact } from '../contact.mapper';
import { ContactRepository } from '../contact.repository';

/** Soft delete: out of lists and search, restorable for RESTORE_WINDOW_DAYS. */
@Injectable()
export class DeleteContactService {
  constructor(
    private readonly repository: ContactRepository,
    private readonly lookup: ContactLookup,
    private readonly events: EventPublisher,
  ) {}

  @Transactional()
  async delete(tenantId: string, { id, expectedVersion }: RpcRequest<typeof deleteContact>): Promise<Contact> {
    const current = await this.lookup.live(tenantId, id);
    checkVersion(expectedVersion, current.version);
    const row = await this.repository.setDeleted(tenantId, id, current.version, new Date());
    if (!row?.deletedAt) throw new DomainError('PRECONDITION_FAILED', 'The contact changed meanwhile; read it again.');
    const deletedAt = row.deletedAt.toISOString();
    await this.events.publish(contactDeleted, { contactId: id, deletedAt }, { tenantId, subject: id, entityVersion: row.version });
    return toContact(row);
  }
}
