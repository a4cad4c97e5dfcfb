import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { insertRecords } from '@crm/service-kit';
import { sql } from 'kysely';
import { COMPANY_RECORD_COLUMNS, companyRecord, CompanyRow, CompanyWrite, insertedCompany } from '../companies/company.table';
import { contactSearchText, ContactRow, ContactWrite, EMAIL_COLUMNS, emailRows, PHONE_COLUMNS, phoneRows } from '../contacts/contact.table';
import type { DB } from '../generated/kysely/database';
import { Database } from '../infrastructure/database/database';
import { insertedInteraction, INTERACTION_RECORD_COLUMNS, interactionRecord, InteractionRow, InteractionWrite } from '../interactions/interaction.table';
import { searchWords, vocabularyRows } from '../shared/search-words';
import { CONTACT_RECORD_COLUMNS, newContact } from './contact-records';

/**
 * Bulk inserts for imports: one INSERT per table and batch, the rows built by the tables' own
 * modules (the same records a single create inserts) and sent as one JSON parameter
 * (insertRecords): Postgres unpacks 1,000 rows in a millisecond or two, where binding thousands
 * of parameters took seconds per batch (measured with Prisma's createMany). Ids and times are
 * made here, so nothing is read back.
 */
@Injectable()
export class ImportsRepository {
  constructor(private readonly db: Database) {}

  /** Those of `ids` that are live companies of the tenant (what contacts may link to). */
  async liveCompanies(tenantId: string, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('company')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', anyOf(ids))
      .where('deleted_at', 'is', null)
      .execute();
    return new Set(rows.map((r) => r.id));
  }

  /**
   * Those of `ids` that are live contacts of the tenant, share-locked until the transaction ends
   * (as a single log does): a concurrent erasure or merge waits for the import, or the import
   * finds the contact gone.
   */
  async lockLiveContacts(tenantId: string, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('contact')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', anyOf(ids))
      .where('deleted_at', 'is', null)
      .where('erased_at', 'is', null)
      .forShare()
      .execute();
    return new Set(rows.map((r) => r.id));
  }

  /** The stored rows, in input order. */
  async insertCompanies(tenantId: string, companies: CompanyWrite[]): Promise<CompanyRow[]> {
    const now = new Date();
    const records = companies.map((c) => companyRecord(tenantId, c, now));
    await insertRecords<DB, 'company'>(this.db, 'company', COMPANY_RECORD_COLUMNS, records).execute();
    await this.insertSearchWords(
      'company',
      tenantId,
      records.map((r) => ({ id: r.id, text: r.sort_name })),
    );
    return records.map(insertedCompany);
  }

  /** The stored rows with their emails and phones, in input order (`ids`: their ids when the caller chose them). */
  async insertContacts(tenantId: string, contacts: ContactWrite[], ids?: string[]): Promise<ContactRow[]> {
    const now = new Date();
    const batch = contacts.map((c, i) => newContact(tenantId, ids?.[i] ?? randomUUID(), c, now));
    const rows = batch.map((b) => b.row);
    await insertRecords<DB, 'contact'>(
      this.db,
      'contact',
      CONTACT_RECORD_COLUMNS,
      batch.map((b) => b.record),
    ).execute();
    const emails = rows.flatMap((r) => r.emails);
    if (emails.length) await this.db.insertInto('contact_email').columns(EMAIL_COLUMNS).expression(emailRows(emails)).execute();
    const phones = rows.flatMap((r) => r.phones);
    if (phones.length) await this.db.insertInto('contact_phone').columns(PHONE_COLUMNS).expression(phoneRows(phones)).execute();
    await this.insertSearchWords(
      'contact',
      tenantId,
      rows.map((r, i) => ({ id: r.id, text: contactSearchText(contacts[i]) })),
    );
    return rows;
  }

  /** The stored rows, in input order. */
  async insertInteractions(tenantId: string, interactions: InteractionWrite[]): Promise<InteractionRow[]> {
    const now = new Date();
    const records = interactions.map((i) => interactionRecord(tenantId, i, now));
    await insertRecords<DB, 'interaction'>(this.db, 'interaction', INTERACTION_RECORD_COLUMNS, records).execute();
    return records.map(insertedInteraction);
  }

  /** The search words of new records, all in one statement: new words to the tenant's vocabulary, then the links. */
  private async insertSearchWords(owner: 'contact' | 'company', tenantId: string, records: { id: string; text: string }[]): Promise<void> {
    const ids: string[] = [];
    const words: string[] = [];
    for (const { id, text } of records) {
      for (const word of searchWords(text)) {
        ids.push(id);
        words.push(word);
      }
    }
    if (words.length === 0) return;
    const links = sql<{
      tenant_id: string;
      word: string;
      id: string;
    }>`SELECT ${tenantId}::text, w, id FROM unnest(${words}::text[], ${ids}::uuid[]) AS l(w, id)`;
    const withVocabulary = this.db.with('vocabulary', (q) =>
      q
        .insertInto('search_word')
        .columns(['tenant_id', 'word', 'typo_keys'])
        .expression(vocabularyRows(tenantId, [...new Set(words)]))
        .onConflict((oc) => oc.doNothing()),
    );
    await (
      owner === 'contact'
        ? withVocabulary.insertInto('contact_search_word').columns(['tenant_id', 'word', 'contact_id']).expression(links)
        : withVocabulary.insertInto('company_search_word').columns(['tenant_id', 'word', 'company_id']).expression(links)
    ).execute();
  }
}

/** `= ANY(<array>)`: one parameter (an array) for any number of ids, so one prepared statement. */
const anyOf = (ids: string[]) => sql<string>`ANY(${ids}::uuid[])`;
