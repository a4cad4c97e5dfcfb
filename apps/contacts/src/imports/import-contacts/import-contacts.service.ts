import { Injectable } from '@nestjs/common';
import { ContractIssue, contactCreated, importContacts, RpcRequest, RpcResponse } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { contactWrite, NEW_CONTACT } from '../../contacts/contact-input';
import { toContact } from '../../contacts/contact.mapper';
import { createdEntry, IMPORT_TRANSACTION, ImportAdapter, refuseIfAny } from '../import-batch';
import { ImportCustomFields } from '../import-custom-fields';
import { ImportsRepository } from '../imports.repository';

/**
 * Contacts in bulk: checked as single creates are (companies must be live ones of the tenant,
 * custom fields against the definitions), inserted together, one `contact.created` each.
 * No duplicate detection: see the contract.
 */
@Injectable()
export class ImportContactsService {
  constructor(
    private readonly repository: ImportsRepository,
    private readonly customFields: ImportCustomFields,
    private readonly events: EventPublisher,
  ) {}

  @Transactional<ImportAdapter>(IMPORT_TRANSACTION)
  async import(tenantId: string, { contacts }: RpcRequest<typeof importContacts>): Promise<RpcResponse<typeof importContacts>> {
    const companyIds = [...new Set(contacts.flatMap((c) => (c.companyId ? [c.companyId] : [])))];
    const liveCompanies = await this.repository.liveCompanies(tenantId, companyIds);
    const issues: ContractIssue[] = [];
    contacts.forEach((c, i) => {
      if (c.companyId && !liveCompanies.has(c.companyId)) issues.push({ path: `contacts.${i}.companyId`, message: 'no such company' });
    });
    const { values, issues: fieldIssues } = await this.customFields.applyAll(
      tenantId,
      'contact',
      'contacts',
      contacts.map((c) => c.customFields),
    );
    refuseIfAny([...issues, ...fieldIssues]);
    const rows = await this.repository.insertContacts(
      tenantId,
      contacts.map((input, i) => ({ ...contactWrite(NEW_CONTACT, input), customFields: values[i] })),
    );
    await this.events.publishMany(
      contactCreated,
      rows.map((row) => {
        const contact = toContact(row);
        return { data: { contact }, meta: { tenantId, subject: contact.id, entityVersion: contact.version } };
      }),
    );
    return { created: rows.map((row, i) => createdEntry(contacts[i], row.id)) };
  }
}
