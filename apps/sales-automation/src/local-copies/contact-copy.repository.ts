import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Database } from '../infrastructure/database/database';
import { contactNameOf, customerNameOfDeal } from './customer-name.sql';

/** What the service keeps of a contact: what it shows (names, email) and where it went (merged, erased, deleted). */
export interface ContactCopyValues {
  id: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  companyId: string | null;
  tags: string[];
  customFields: Record<string, unknown>;
  version: number;
  deletedAt: Date | null;
}

export interface CompanyCopyValues {
  id: string;
  name: string;
  domain: string | null;
  version: number;
  deletedAt: Date | null;
}

/**
 * The local copies of contacts and companies. Every write is an upsert that applies only when it
 * is newer than the stored version: events that come late (or again) change nothing.
 */
@Injectable()
export class ContactCopyRepository {
  constructor(private readonly db: Database) {}

  /**
   * The copy takes the values when they are newer than it (or it is missing), and then the
   * contact's deals show its new name: one statement (one round trip per contact event).
   */
  async upsertContact(tenantId: string, contact: ContactCopyValues): Promise<void> {
    const row = {
      id: contact.id,
      tenant_id: tenantId,
      first_name: contact.firstName,
      last_name: contact.lastName,
      email: contact.email,
      company_id: contact.companyId,
      tags: contact.tags,
      custom_fields: JSON.stringify(contact.customFields),
      version: contact.version,
      deleted_at: contact.deletedAt,
      updated_at: new Date(),
    };
    await this.db
      .with('written', (db) =>
        db
          .insertInto('contact_copy')
          .values(row)
          .onConflict((oc) =>
            oc
              .column('id')
              .doUpdateSet({ ...row, id: undefined, tenant_id: undefined })
              // An erased contact's copy keeps no personal data, whatever arrives late.
              .where('contact_copy.version', '<', contact.version)
              .where('contact_copy.erased_at', 'is', null)
              .where('contact_copy.tenant_id', '=', tenantId),
          )
          .returning(['id', 'first_name', 'last_name']),
      )
      // Nothing written (an older event): no deal is touched.
      .updateTable('deal')
      .from('written')
      .set({ customer_name: customerNameOfDeal(contactNameOf('written')) })
      .where('deal.tenant_id', '=', tenantId)
      .whereRef('deal.contact_id', '=', 'written.id')
      .execute();
  }

  /** A deleted contact, when the event is newer than the copy. */
  async markContactDeleted(tenantId: string, id: string, version: number, deletedAt: Date): Promise<void> {
    await this.db
      .insertInto('contact_copy')
      .values({ id, tenant_id: tenantId, version, deleted_at: deletedAt })
      .onConflict((oc) =>
        oc
          .column('id')
          .doUpdateSet({ version, deleted_at: deletedAt, updated_at: new Date() })
          .where('contact_copy.version', '<=', version)
          .where('contact_copy.tenant_id', '=', tenantId),
      )
      .execute();
  }

  /** A contact merged into another is gone for good: whatever its copy's version (the survivor's event carries the survivor's). */
  async markContactMerged(tenantId: string, id: string, survivorId: string, at: Date): Promise<void> {
    await this.db
      .insertInto('contact_copy')
      .values({ id, tenant_id: tenantId, version: 0, deleted_at: at, merged_into_id: survivorId })
      .onConflict((oc) =>
        oc.column('id').doUpdateSet({ deleted_at: at, merged_into_id: survivorId, updated_at: new Date() }).where('contact_copy.tenant_id', '=', tenantId),
      )
      .execute();
  }

  /** The copy keeps only the id and when it was erased (a tombstone if there was no copy yet). */
  async eraseContact(tenantId: string, id: string, version: number, erasedAt: Date): Promise<void> {
    const erased = { first_name: null, last_name: null, email: null, tags: [], custom_fields: '{}', erased_at: erasedAt, updated_at: new Date() };
    await this.db
      .insertInto('contact_copy')
      .values({ id, tenant_id: tenantId, version, ...erased })
      .onConflict((oc) =>
        oc
          .column('id')
          .doUpdateSet({ ...erased, version: sql`greatest(contact_copy.version, excluded.version)` })
          .where('contact_copy.tenant_id', '=', tenantId),
      )
      .execute();
  }

  async upsertCompany(tenantId: string, company: CompanyCopyValues): Promise<boolean> {
    const row = {
      id: company.id,
      tenant_id: tenantId,
      name: company.name,
      domain: company.domain,
      version: company.version,
      deleted_at: company.deletedAt,
      updated_at: new Date(),
    };
    const written = await this.db
      .insertInto('company_copy')
      .values(row)
      .onConflict((oc) =>
        oc
          .column('id')
          .doUpdateSet({ ...row, id: undefined, tenant_id: undefined })
          .where('company_copy.version', '<', company.version)
          .where('company_copy.tenant_id', '=', tenantId),
      )
      .returning('id')
      .executeTakeFirst();
    return written !== undefined;
  }

  /** A deleted company, when the event is newer than the copy (no copy yet: nothing to show anyway). */
  async markCompanyDeleted(tenantId: string, id: string, version: number, deletedAt: Date): Promise<boolean> {
    const updated = await this.db
      .updateTable('company_copy')
      .set({ deleted_at: deletedAt, version, updated_at: new Date() })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('version', '<=', version)
      .executeTakeFirst();
    return updated.numUpdatedRows > 0n;
  }
}
