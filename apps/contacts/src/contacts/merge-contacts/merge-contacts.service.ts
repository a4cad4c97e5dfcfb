import { Injectable } from '@nestjs/common';
import { Contact, contactMerged, DomainError, mergeContacts, RpcRequest } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { CompanyRepository } from '../../companies/company.repository';
import { ActivityRepository } from '../../activities/activity.repository';
import { ExternalRecordsRepository } from '../../external-records/external-records.repository';
import { InteractionRepository } from '../../interactions/interaction.repository';
import { checkVersion, validationFailed } from '../../shared/errors';
import { ContactLookup } from '../contact-lookup';
import { toContact } from '../contact.mapper';
import { ContactRepository } from '../contact.repository';
import { mergedContact } from './merged-contact';

const stale = () => new DomainError('PRECONDITION_FAILED', 'A contact changed meanwhile; read them again.');

/**
 * The survivor (`id`) absorbs `mergedId` in one transaction: details (see mergedContact), the
 * whole timeline, and the merged contact is soft-deleted. Only `contact.merged` is published for
 * both: it tells consumers that `mergedId` now lives on as the survivor.
 *
 * The merged contact is deleted like any other and remembers its survivor (`merged_into_id`), so
 * that erasing the survivor erases it too (the same person). Restorable within the window, which
 * brings back its own details but not the timeline it handed over, and makes it its own record
 * again (the link is cleared).
 */
@Injectable()
export class MergeContactsService {
  constructor(
    private readonly contacts: ContactRepository,
    private readonly lookup: ContactLookup,
    private readonly companies: CompanyRepository,
    private readonly interactions: InteractionRepository,
    private readonly activities: ActivityRepository,
    private readonly externalRecords: ExternalRecordsRepository,
    private readonly events: EventPublisher,
  ) {}

  @Transactional()
  async merge(tenantId: string, { id, mergedId, expectedVersion }: RpcRequest<typeof mergeContacts>): Promise<Contact> {
    if (id === mergedId) throw validationFailed([{ path: 'mergedId', message: 'a contact cannot be merged into itself' }]);
    const survivor = toContact(await this.lookup.live(tenantId, id));
    const merged = toContact(await this.lookup.live(tenantId, mergedId));
    checkVersion(expectedVersion, survivor.version);
    const mergedCompanyUsable = merged.companyId !== null && (await this.companies.existsActive(tenantId, merged.companyId));
    const row = await this.contacts.update(tenantId, survivor, mergedContact(survivor, merged, { mergedCompanyUsable }));
    if (!row) throw stale();
    // Deleted before its timeline moves: the row lock keeps a concurrent log from landing behind.
    if (!(await this.contacts.setDeleted(tenantId, mergedId, merged.version, new Date()))) throw stale();
    await this.contacts.setMergedInto(tenantId, mergedId, id);
    await this.interactions.moveAll(tenantId, mergedId, id);
    // Its orders and deals too: lifetime value and last purchase are the survivor's from now on.
    await this.activities.moveAll(tenantId, mergedId, id);
    // Its outside systems' ids too: an ERP's next upsert of the merged contact updates the survivor.
    await this.externalRecords.moveRefs(tenantId, 'contact', mergedId, id);
    const contact = toContact(row);
    await this.events.publish(contactMerged, { contact, mergedId }, { tenantId, subject: id, entityVersion: contact.version });
    return contact;
  }
}
