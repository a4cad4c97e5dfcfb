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

  // The reads decide, then one statement (sent with the COMMIT) writes the contact and its event.
  async create(tenantId: string, { contact: input, allowDuplicates }: RpcRequest<typeof createContact>): Promise<Contact> {
    // The three reads are independent: sent at once, they share one round trip on the pipelined
    // connection. Their errors still count in this order (a bad company or field before duplicates).
    const company = this.lookup.checkCompany(tenantId, input.companyId, 'contact.companyId');
    const fields = this.customFields.apply(tenantId, 'contact', 'contact.customFields', input.customFields);
    const candidates = allowDuplicates ? Promise.resolve([]) : this.duplicates.find(tenantId, input);
    await Promise.allSettled([company, fields, candidates]);
    await company;
    const customFields = await fields;
    const duplicates = await candidates;
    if (duplicates.length) throw new DomainError('CONFLICT', 'Possible duplicates exist.', { duplicates });
    const { row, insert } = this.repository.newContact(tenantId, { ...contactWrite(NEW_CONTACT, input), customFields });
    const contact = toContact(row);
    // Nothing reads the insert's result, and nothing it can fail on is answered otherwise: it goes with the COMMIT.
    await this.events.publishWithCommit(contactCreated, { contact }, { tenantId, subject: contact.id, entityVersion: contact.version }, (outbox) =>
      insert(outbox),
    );
    return contact;
  }
}
