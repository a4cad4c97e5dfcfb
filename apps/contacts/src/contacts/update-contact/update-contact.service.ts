import { isDeepStrictEqual } from 'node:util';
import { Injectable } from '@nestjs/common';
import { Contact, contactUpdated, DomainError, RpcRequest, updateContact } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { CustomFieldValuesValidator } from '../../custom-fields/custom-field-values.validator';
import { changedFields } from '../../shared/changed-fields';
import { checkVersion } from '../../shared/errors';
import { contactWrite, currentWrite } from '../contact-input';
import { ContactLookup } from '../contact-lookup';
import { toContact } from '../contact.mapper';
import { ContactRepository } from '../contact.repository';

/**
 * Patch semantics: absent fields stay, arrays replace, custom fields merge (null clears one). A
 * patch that changes nothing (`PATCH {}`, or every value as it is) answers the contact as it is:
 * same version, no event.
 */
@Injectable()
export class UpdateContactService {
  constructor(
    private readonly repository: ContactRepository,
    private readonly lookup: ContactLookup,
    private readonly customFields: CustomFieldValuesValidator,
    private readonly events: EventPublisher,
  ) {}

  @Transactional()
  async update(tenantId: string, { id, expectedVersion, patch }: RpcRequest<typeof updateContact>): Promise<Contact> {
    const before = toContact(await this.lookup.live(tenantId, id));
    checkVersion(expectedVersion, before.version);
    if (patch.companyId !== before.companyId) await this.lookup.checkCompany(tenantId, patch.companyId, 'patch.companyId');
    const customFields = await this.customFields.apply(tenantId, 'contact', 'patch.customFields', patch.customFields, before.customFields);
    const current = { ...currentWrite(before), customFields: before.customFields };
    const next = { ...contactWrite(current, patch), customFields };
    if (isDeepStrictEqual(next, current)) return before;
    const row = await this.repository.update(tenantId, before, next);
    if (!row) throw new DomainError('PRECONDITION_FAILED', 'The contact changed meanwhile; read it again.');
    const contact = toContact(row);
    const changed = changedFields(before, contact, patch);
    await this.events.publish(contactUpdated, { contact, changed }, { tenantId, subject: id, entityVersion: contact.version });
    return contact;
  }
}
