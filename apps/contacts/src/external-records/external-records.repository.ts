import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import {
  childRows,
  contactProjection,
  ContactRow,
  contactSearchText,
  contactValues,
  ContactWrite,
  EMAIL_COLUMNS,
  emailRows,
  newContactRow,
  PHONE_COLUMNS,
  phoneRows,
} from '../contacts/contact.table';
import { COMPANY_PROJECTION, CompanyRow } from '../companies/company.table';
import { Database } from '../infrastructure/database/database';
import { searchWords, vocabularyRows, wordLinkRows } from '../shared/search-words';
import { claimRefs, deleteRefs, dropRefs, ExternalObject, ExternalRefKey, lockRefs, moveRefs, selectRefs, upsertRefs } from './external-ref.table';

/** A known contact's next state, decided by the service: written at `version` + 1. */
export interface ContactChange {
  before: ContactRow;
  data: ContactWrite;
}

/** The contact columns an update of the whole state sets (contactValues), with their types as jsonb_to_recordset declares them. */
const UPDATE_COLUMNS = {
  first_name: 'text',
  last_name: 'text',
  sort_last_name: 'text',
  title: 'text',
  addresses: 'text::jsonb',
  company_id: 'uuid',
  owner_id: 'uuid',
  tags: 'text[]',
  lifecycle_stage: 'text',
  custom_fields: 'text::jsonb',
  email_list: 'text::jsonb',
  phone_list: 'text::jsonb',
} as const satisfies Record<keyof ReturnType<typeof contactValues>, string>;

const uuids = (ids: string[]) => sql<string>`ANY(${ids}::uuid[])`;

/**
 * Set-based reads and writes of records keyed by external ids: refs, and the batch update and
 * soft delete of known contacts (one statement per table and batch, whatever its size). New
 * contacts are inserted by the import path (ImportsRepository.insertContacts).
 */
@Injectable()
export class ExternalRecordsRepository {
  constructor(private readonly db: Database) {}

  /**
   * Serializes the upserts of one tenant's records of one system until the transaction ends: two
   * batches creating the same new external id at once would otherwise both create a record.
   */
  async lockSystem(key: ExternalRefKey): Promise<void> {
    await sql`SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtextextended(${`external-ref/${key.tenantId}/${key.object}/${key.system}`}, 0))`.execute(
      this.db,
    );
  }

  /**
   * Claims the external ids not known yet for the records about to be made (`claims`: each id
   * with its new record's id), so that two batches never both create a record for one id; and
   * returns every ref of the batch (claimed or known), locked until the transaction ends. Batches
   * of different ids do not wait on each other; one naming an id another batch is creating waits
   * for it and then finds the id known.
   */
  async claimAndLockRefs(
    key: ExternalRefKey,
    claims: { externalId: string; recordId: string }[],
  ): Promise<{ claimed: Set<string>; refs: Map<string, string> }> {
    if (claims.length === 0) return { claimed: new Set(), refs: new Map() };
    const claimed = await claimRefs(this.db, key, claims).execute();
    const { rows: refs } = await lockRefs(
      key,
      claims.map((c) => c.externalId),
    ).execute(this.db);
    return { claimed: new Set(claimed.map((r) => r.external_id)), refs: new Map(refs.map((r) => [r.external_id, r.record_id])) };
  }

  /** Gives up claims whose record was not made (the item failed). */
  async dropClaims(key: ExternalRefKey, externalIds: string[]): Promise<void> {
    if (externalIds.length) await dropRefs(key, externalIds).execute(this.db);
  }

  /** External id -> record id of those known. */
  async refs(key: ExternalRefKey, externalIds: string[]): Promise<Map<string, string>> {
    if (externalIds.length === 0) return new Map();
    const { rows } = await selectRefs(key, externalIds).execute(this.db);
    return new Map(rows.map((r) => [r.externalId, r.recordId]));
  }

  /** External id -> record id of those whose record is live (not deleted, not erased or purged). */
  async liveRefs(tenantId: string, object: ExternalObject, system: string, externalIds: string[]): Promise<Map<string, string>> {
    const refs = await this.refs({ tenantId, object, system }, externalIds);
    if (refs.size === 0) return refs;
    const ids = [...new Set(refs.values())];
    const live =
      object === 'contact'
        ? await this.db
            .selectFrom('contact')
            .select('id')
            .where('tenant_id', '=', tenantId)
            .where('id', '=', uuids(ids))
            .where('deleted_at', 'is', null)
            .where('erased_at', 'is', null)
            .execute()
        : await this.db
            .selectFrom('company')
            .select('id')
            .where('tenant_id', '=', tenantId)
            .where('id', '=', uuids(ids))
            .where('deleted_at', 'is', null)
            .execute();
    const liveIds = new Set(live.map((r) => r.id));
    return new Map([...refs].filter(([, id]) => liveIds.has(id)));
  }

  async saveRefs(key: ExternalRefKey, refs: { externalId: string; recordId: string }[]): Promise<void> {
    if (refs.length) await upsertRefs(this.db, key, refs).execute();
  }

  async moveRefs(tenantId: string, object: ExternalObject, fromId: string, toId: string): Promise<void> {
    await moveRefs(this.db, tenantId, object, fromId, toId).execute();
  }

  async deleteRefs(tenantId: string, object: ExternalObject, recordIds: string[]): Promise<void> {
    if (recordIds.length) await deleteRefs(this.db, tenantId, object, recordIds).execute();
  }

  /** Those of `ids` that are live contacts of the tenant, locked for update until the transaction ends (in id order: batches never deadlock each other). */
  async lockLiveContacts(tenantId: string, ids: string[]): Promise<Map<string, ContactRow>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('contact as c')
      .select(contactProjection)
      .where('c.tenant_id', '=', tenantId)
      .where('c.id', '=', uuids(ids))
      .where('c.deleted_at', 'is', null)
      .where('c.erased_at', 'is', null)
      .orderBy('c.id')
      .forUpdate()
      .execute();
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** Those of `ids` that are live companies of the tenant, locked for update (in id order). */
  async liveCompanies(tenantId: string, ids: string[]): Promise<Map<string, CompanyRow>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('company')
      .select(COMPANY_PROJECTION)
      .where('tenant_id', '=', tenantId)
      .where('id', '=', uuids(ids))
      .where('deleted_at', 'is', null)
      .orderBy('id')
      .forUpdate()
      .execute();
    return new Map(rows.map((r) => [r.id, r]));
  }

  /**
   * Writes every change (locked rows: see lockLiveContacts) in one UPDATE, then replaces their
   * emails, phones and search-word links with one statement each. Returns the rows a read would
   * give, in input order (not read back).
   */
  async updateContacts(tenantId: string, changes: ContactChange[], now: Date): Promise<ContactRow[]> {
    if (changes.length === 0) return [];
    const written = changes.map(({ before, data }) => {
      const children = childRows(tenantId, before.id, data);
      const row: ContactRow = {
        ...newContactRow({ id: before.id, tenantId, createdAt: before.createdAt }, data, children),
        version: before.version + 1,
        updatedAt: now,
      };
      return {
        row,
        record: { id: before.id, version: before.version, ...contactValues(data, children) },
        previousText: contactSearchText(before),
        text: contactSearchText(data),
      };
    });
    const names = Object.keys(UPDATE_COLUMNS) as (keyof typeof UPDATE_COLUMNS)[];
    const declared = sql.join([sql`id uuid`, sql`version int`, ...names.map((name) => sql`${sql.id(name)} ${sql.raw(UPDATE_COLUMNS[name].split('::')[0])}`)]);
    const sets = sql.join(
      names.map((name) => {
        const cast = UPDATE_COLUMNS[name].split('::')[1];
        return cast ? sql`${sql.id(name)} = ${sql.ref(`r.${name}`)}::${sql.raw(cast)}` : sql`${sql.id(name)} = ${sql.ref(`r.${name}`)}`;
      }),
    );
    const ids = changes.map((c) => c.before.id);
    // The records as a materialized table, and the contacts by primary key: a join against the
    // function itself re-reads the whole JSON once per contact when the planner (misled by a new
    // tenant's stale statistics) puts it on the inner side of a nested loop (~4 s a batch).
    const updated = await sql<{
      id: string;
    }>`WITH r AS MATERIALIZED (SELECT * FROM jsonb_to_recordset(${JSON.stringify(written.map((w) => w.record))}::jsonb) AS r(${declared}))
      UPDATE contact AS c SET ${sets}, version = c.version + 1, updated_at = ${now}::timestamptz
      FROM r
      WHERE c.tenant_id = ${tenantId} AND c.id = ANY(${ids}::uuid[]) AND c.id = r.id AND c.version = r.version AND c.erased_at IS NULL
      RETURNING c.id`.execute(this.db);
    if (updated.rows.length !== changes.length) throw new Error(`external upsert: ${changes.length - updated.rows.length} locked contacts changed meanwhile`);
    // By contact id only (the ids are the tenant's, locked above): with the tenant too, a new
    // tenant's stale statistics led the planner down the tenant's index, comparing each of its rows with every id.
    await this.db
      .with('emails', (q) => q.deleteFrom('contact_email').where('contact_id', '=', uuids(ids)))
      .deleteFrom('contact_phone')
      .where('contact_id', '=', uuids(ids))
      .execute();
    const emails = written.flatMap((w) => w.row.emails);
    if (emails.length) await this.db.insertInto('contact_email').columns(EMAIL_COLUMNS).expression(emailRows(emails)).execute();
    const phones = written.flatMap((w) => w.row.phones);
    if (phones.length) await this.db.insertInto('contact_phone').columns(PHONE_COLUMNS).expression(phoneRows(phones)).execute();
    await this.replaceSearchWords(tenantId, ids, written.map((w) => w.previousText), written.map((w) => w.text));
    return written.map((w) => w.row);
  }

  /**
   * Soft-deletes those of `ids` that are live contacts of the tenant, each with its next version,
   * in one statement; returns the deleted ones (others were not live).
   */
  async softDeleteContacts(tenantId: string, ids: string[], deletedAt: Date): Promise<{ id: string; version: number }[]> {
    if (ids.length === 0) return [];
    return this.db
      .updateTable('contact')
      .set((eb) => ({ deleted_at: deletedAt, updated_at: deletedAt, version: eb('version', '+', 1) }))
      .where('tenant_id', '=', tenantId)
      .where('id', '=', uuids(ids))
      .where('deleted_at', 'is', null)
      .where('erased_at', 'is', null)
      .returning(['id', 'version'])
      .execute();
  }

  /**
   * The links of `ids[i]` become the words of `texts[i]`: their old links (the words of
   * `previousTexts[i]`, found through the links' primary key: replaceContactSearchWords says why)
   * go, the new words join the vocabulary and are linked (one statement each). A word no record
   * has any more may stay in the vocabulary, found by nothing (as the race in replaceContactSearchWords allows).
   */
  private async replaceSearchWords(tenantId: string, ids: string[], previousTexts: string[], texts: string[]): Promise<void> {
    const links = (ofTexts: string[]) => {
      const linkIds: string[] = [];
      const words: string[] = [];
      ofTexts.forEach((text, i) => {
        for (const word of searchWords(text)) {
          linkIds.push(ids[i]);
          words.push(word);
        }
      });
      return { linkIds, words };
    };
    const previous = links(previousTexts);
    const { linkIds, words } = links(texts);
    await sql`DELETE FROM contact_search_word
      WHERE tenant_id = ${tenantId} AND (word, contact_id) IN (SELECT * FROM unnest(${previous.words}::text[], ${previous.linkIds}::uuid[]))`.execute(this.db);
    if (words.length === 0) return;
    await this.db
      .with('vocabulary', (q) =>
        q
          .insertInto('search_word')
          .columns(['tenant_id', 'word', 'typo_keys'])
          .expression(vocabularyRows(tenantId, [...new Set(words)]))
          .onConflict((oc) => oc.doNothing()),
      )
      .insertInto('contact_search_word')
      .columns(['tenant_id', 'word', 'contact_id'])
      .expression(wordLinkRows(tenantId, linkIds, words))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}
