import { Injectable } from '@nestjs/common';
import type { Company, Contact, EventData } from '@crm/contracts';
import { contactErased, contactMerged } from '@crm/contracts';
import { ContactCopyRepository, ContactCopyValues } from './contact-copy.repository';
import { ContactReferencesRepository } from './contact-references.repository';
import { EmailContactLifecycle } from '../email/email-contact-lifecycle';
import { MergedRecordsEvents } from './merged-records-events';
import { SequenceContactLifecycle } from '../sequences/sequence-contact-lifecycle';
import { CampaignContactLifecycle } from '../campaigns/campaign-contact-lifecycle';

/**
 * Keeps the copies of contacts and companies from the contacts service's events (each handled
 * in the inbox's transaction) and what depends on them: deals' customer names, and the records
 * of a merged or erased contact.
 */
@Injectable()
export class LocalCopiesService {
  constructor(
    private readonly copies: ContactCopyRepository,
    private readonly references: ContactReferencesRepository,
    private readonly mergedRecords: MergedRecordsEvents,
    private readonly email: EmailContactLifecycle,
    private readonly sequences: SequenceContactLifecycle,
    private readonly campaigns: CampaignContactLifecycle,
  ) {}

  /** The copy takes a newer state, and the contact's deals its name (one statement). */
  async contactChanged(tenantId: string, contact: Contact): Promise<void> {
    await this.copies.upsertContact(tenantId, contactCopyOf(contact));
  }

  async contactDeleted(tenantId: string, contactId: string, version: number, deletedAt: Date): Promise<void> {
    await this.copies.markContactDeleted(tenantId, contactId, version, deletedAt);
  }

  /**
   * The survivor's copy takes its new state; everything of the merged contact moves to it, whatever
   * the versions, each live record with its `updated` event.
   */
  async contactMerged(tenantId: string, { contact, mergedId }: EventData<typeof contactMerged>, at: Date): Promise<void> {
    await this.copies.upsertContact(tenantId, contactCopyOf(contact));
    await this.copies.markContactMerged(tenantId, mergedId, contact.id, at);
    const moved = await this.references.moveToSurvivor(tenantId, mergedId, contact.id);
    await this.references.refreshCustomerNames(tenantId, { contactId: contact.id });
    await this.mergedRecords.publish(tenantId, moved);
    await this.email.merged(tenantId, mergedId, contact.id, at);
    await this.sequences.merged(tenantId, mergedId, contact.id, at);
    await this.campaigns.merged(tenantId, mergedId, contact.id);
  }

  /** The copy, the deals' customer names and the converted leads keep none of the contact's personal data. */
  async contactErased(tenantId: string, { contactId, erasedAt }: EventData<typeof contactErased>, version: number): Promise<void> {
    const at = new Date(erasedAt);
    await this.copies.eraseContact(tenantId, contactId, version, at);
    await this.references.refreshCustomerNames(tenantId, { contactId });
    await this.references.eraseConvertedLeads(tenantId, contactId, at);
    await this.email.erased(tenantId, contactId);
    await this.sequences.erased(tenantId, contactId);
    await this.campaigns.erased(tenantId, contactId);
  }

  async companyChanged(tenantId: string, company: Company): Promise<void> {
    const values = {
      id: company.id,
      name: company.name,
      domain: company.domain,
      version: company.version,
      deletedAt: company.deletedAt ? new Date(company.deletedAt) : null,
    };
    if (await this.copies.upsertCompany(tenantId, values)) {
      await this.references.refreshCustomerNames(tenantId, { companyId: company.id });
    }
  }

  async companyDeleted(tenantId: string, companyId: string, version: number, deletedAt: Date): Promise<void> {
    if (await this.copies.markCompanyDeleted(tenantId, companyId, version, deletedAt)) {
      await this.references.refreshCustomerNames(tenantId, { companyId });
    }
  }
}

function contactCopyOf(contact: Contact): ContactCopyValues {
  const email = contact.emails.find((e) => e.primary) ?? contact.emails[0];
  return {
    id: contact.id,
    firstName: contact.firstName,
    lastName: contact.lastName,
    email: email?.address ?? null,
    companyId: contact.companyId,
    tags: contact.tags,
    customFields: contact.customFields,
    version: contact.version,
    deletedAt: contact.deletedAt ? new Date(contact.deletedAt) : null,
  };
}
