import { Injectable } from '@nestjs/common';
import { Contact, contactRestored, DomainError, restoreContact, RpcRequest } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { ContactLookup } from '../contact-lookup';
import { toContact } from '../contact.mapper';
import { ContactRepository } from '../contact.repository';

/** Undoes a delete within the restore window; restoring a live contact changes nothing. */
@Injectable()
export class RestoreContactService {
  constructor(
    private readonly repository: ContactRepository,
    private readonly lookup: ContactLookup,
    private readonly events: EventPublisher,
  ) {}

  @Transactional()
  async restore(tenantId: string, { id }: RpcRequest<typeof restoreContact>): Promise<Contact> {
    const current = await this.lookup.visible(tenantId, id);
    if (!current.deletedAt) return toContact(current);
    const row = await this.repository.setDeleted(tenantId, id, current.version, null);
    if (!row) throw new DomainError('PRECONDITION_FAILED', 'The contact changed meanwhile; read it again.');
    // A merged contact brought back is its own record again: erasing its survivor no longer reaches it.
    await this.repository.setMergedInto(tenantId, id, null);
    const contact = toContact(row);
    await this.events.publish(contactRestored, { contact }, { tenantId, subject: id, entityVersion: contact.version });
    return contact;
  }
}
