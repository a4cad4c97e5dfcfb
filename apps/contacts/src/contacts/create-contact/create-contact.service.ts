import { Injectable } from '@nestjs/common';
import { Contact, contactCreated, createContact, DomainError, RpcRequest } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { CustomFieldValuesValidator } from '../../custom-fields/custom-field-values.validator';
import { contactWrite, NEW_CONTACT } from '../contact-input';
import { ContactLookup } from '../contact-lookup';
import { toContact } from '../contact.mapper';
import { ContactRepository } from '../contact.repository';
import { DuplicateFinder } from '../duplicates/duplicate-finder';

@Injectable()
export class CreateContactService {
  constructor(
    private readonly repository: ContactRepository,
    private readonly lookup: ContactLookup,
    private readonly customFields: CustomFieldValuesValidator,
    private readonly duplicates: DuplicateFinder,
    private readonly events: EventPublisher,
  ) {}

  // No transaction: the reads decide, then one statement writes the contact and its event.
  async create(tenantId: string, { contact: input, allowDuplicates }: RpcRequest<typeof createContact>): Promise<Contact> {
    await this.lookup.checkCompany(tenantId, input.companyId, 'contact.companyId');
    const customFields = await this.customFields.apply(tenantId, 'contact', 'contact.customFields', input.customFields);
    if (!allowDuplicates) {
      const duplicates = await this.duplicates.find(tenantId, input);
      if (duplicates.length) throw new DomainError('CONFLICT', 'Possible duplicates exist.', { duplicates });
    }
    const { row, insert } = this.repository.newContact(tenantId, { ...contactWrite(NEW_CONTACT, input), customFields });
    const contact = toContact(row);
    await this.events.publishAlong(contactCreated, { contact }, { tenantId, subject: contact.id, entityVersion: contact.version }, (outbox) =>
      insert(outbox).execute(),
    );
    return contact;
  }
}
