import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Expression, expressionBuilder, Insertable, Kysely, QueryCreator, sql, SqlBool } from 'kysely';
import type { OutboxMessageValues } from '@crm/messaging';
import { afterCursor, Cursor, keysetOrder, outboxArgs, outboxSlots, pageRows, prepare, slot, SortColumn, SortSpec, softDeleted } from '@crm/service-kit';
import type { DB } from '../generated/kysely/database';
import { Database } from '../infrastructure/database/database';
import { matchingWords, SearchTerm } from '../shared/search-terms';
import { contactWordRows, replaceContactSearchWords, searchWords, vocabularyRows } from '../shared/search-words';
import { CommonTags } from './common-tags';
import {
  childRows,
  contactDetailJson,
  contactInsert,
  contactListProjection,
  ContactRow,
  NEW_CONTACT_COLUMNS,
  newContactRow,
  contactSearchText,
  contactValues,
  ContactWrite,
  EMAIL_COLUMNS,
  emailRows,
  PHONE_COLUMNS,
  phoneRows,
  selectContacts,
  updateContact,
  type ContactUpdate,
} from './contact.table';

export { contactSearchText, emailKey, type ContactRow, type ContactWrite } from './contact.table';

export interface ContactListQuery {
  filter: { tag?: string; companyId?: string; ownerId?: string; lifecycleStage?: string; updatedSince?: string; includeDeleted?: boolean };
  terms: SearchTerm[];
  sort: SortSpec;
  cursor?: Cursor;
  limit: number;
}

export const CONTACT_SORT_COLUMNS: Record<string, SortColumn> = {
  lastName: { column: 'c.sort_last_name', type: 'text', indexDesc: false },
  updatedAt: { column: 'c.updated_at', type: 'timestamptz', indexDesc: true },
  createdAt: { column: 'c.created_at', type: 'timestamptz', indexDesc: true },
};

/** The hottest read, built once (PreparedQuery): deleted ones too, erased ones never. */
const findContact = prepare<[tenantId: string, id: string]>()((db: Kysely<DB>) =>
  selectContacts(db).where('c.tenant_id', '=', slot<string>(0)).where('c.id', '=', slot<string>(1)).where('c.erased_at', 'is', null),
);

/**
 * The contact's detail (GET) as the contract's JSON, its purchase totals included, in one
 * statement; with what its visibility and ETag need. Read into objects, mapped and checked against
 * the contract, the detail cost the service more CPU than the rest of the call.
 */
const findContactDetail = prepare<[tenantId: string, id: string]>()((db: Kysely<DB>) =>
  db
    .selectFrom('contact as c')
    .select(['c.version', 'c.deleted_at as deletedAt', contactDetailJson])
    .where('c.tenant_id', '=', slot<string>(0))
    .where('c.id', '=', slot<string>(1))
    .where('c.erased_at', 'is', null),
);

/** A contact's detail as findDetail reads it: its version, deletion time and the contract's ContactDetail as JSON text. */
export type ContactDetailRow = Awaited<ReturnType<typeof findContactDetail.execute>>[number];

/**
 * A create in one statement, built once: the contact, its emails, phones and search words, and
 * the outbox row of its created event. Building and compiling it per create cost the contacts
 * service more CPU than any other step of a create. Its arguments: the contact's columns
 * (NEW_CONTACT_COLUMNS), its search words, its outbox row; the emails, phones and word links
 * take their values from the contact's own columns (email_list, phone_list, tenant_id, id).
 * One statement with emails and one without, and the same for phones: an insert of no rows still
 * cost Postgres the set-up of its table and indexes (most new contacts have no phone).
 */
function newContactStatement(has: { emails: boolean; phones: boolean }) {
  return prepare<unknown[]>()((db: Kysely<DB>) => {
    const column = Object.fromEntries(NEW_CONTACT_COLUMNS.map((name, i) => [name, slot(i)])) as Record<(typeof NEW_CONTACT_COLUMNS)[number], string>;
    const words = slot<string[]>(NEW_CONTACT_COLUMNS.length);
    // Typed as the plain QueryCreator: nothing after refers to the CTEs before by name.
    const plain = (creator: unknown) => creator as QueryCreator<DB>;
    const contact = plain(db.with('new_contact', (q) => q.insertInto('contact').values(column as unknown as Insertable<DB['contact']>)));
    const emails = has.emails
      ? plain(contact.with('new_emails', (q) => q.insertInto('contact_email').columns(EMAIL_COLUMNS).expression(emailRows(column.email_list))))
      : contact;
    const phones = has.phones
      ? plain(emails.with('new_phones', (q) => q.insertInto('contact_phone').columns(PHONE_COLUMNS).expression(phoneRows(column.phone_list))))
      : emails;
    return phones
      .with('new_search_words', (q) =>
        q
          .insertInto('search_word')
          .columns(['tenant_id', 'word', 'typo_keys'])
          .expression(vocabularyRows(column.tenant_id, words))
          .onConflict((oc) => oc.doNothing()),
      )
      .with('new_contact_search_words', (q) =>
        q
          .insertInto('contact_search_word')
          .columns(['tenant_id', 'word', 'contact_id'])
          .expression(contactWordRows(column.tenant_id, column.id, words)),
      )
      .insertInto('outbox_message')
      .values(outboxSlots(NEW_CONTACT_COLUMNS.length + 1));
  });
}

const newContactStatements = {
  bare: newContactStatement({ emails: false, phones: false }),
  emails: newContactStatement({ emails: true, phones: false }),
  phones: newContactStatement({ emails: false, phones: true }),
  both: newContactStatement({ emails: true, phones: true }),
};

/** The create statement for a contact with these emails and phones. */
function insertNewContact({ emails, phones }: { emails: unknown[]; phones: unknown[] }) {
  if (emails.length) return phones.length ? newContactStatements.both : newContactStatements.emails;
  return phones.length ? newContactStatements.phones : newContactStatements.bare;
}

/** Conditions on `contact c`, usable in any statement that names it so. */
const onContact = expressionBuilder<DB & { c: DB['contact'] }, 'c'>();

/** A contact of a list page: its id and sort keys (for the cursor), its relevance in a search, and its contract JSON. */
export interface ContactListRow {
  id: string;
  sortLastName: string;
  createdAt: Date;
  updatedAt: Date;
  json: string;
  score?: string;
}

/** The contact an update replaces, as read: the version it expects, and what its search words were made of. */
export type ContactBefore = Parameters<typeof contactSearchText>[0] & { id: string; version: number };

/**
 * Contacts with their emails and phones (contact_email, contact_phone and the lists on the row)
 * and their search words. Imports insert contacts in bulk with the same table module
 * (contact.table.ts); erasure and purge blank or remove them.
 */
@Injectable()
export class ContactRepository {
  constructor(
    private readonly db: Database,
    private readonly commonTags: CommonTags,
  ) {}

  /**
   * Inserts a new contact, its emails, phones and search words, and the outbox row of its created
   * event, in one statement (EventPublisher.publishWithCommit).
   * Returns the row it writes, which the event is made from, and the statement given the
   * event's outbox row.
   */
  newContact(tenantId: string, data: ContactWrite) {
    const id = randomUUID();
    const now = new Date();
    const children = childRows(tenantId, id, data);
    const values = contactInsert({ id, tenantId, createdAt: now }, data, children);
    const words = searchWords(contactSearchText(data));
    const insert = (outbox: OutboxMessageValues) =>
      insertNewContact(children).statement(this.db, [...NEW_CONTACT_COLUMNS.map((column) => values[column]), words, ...outboxArgs(outbox)]);
    const row = newContactRow({ id, tenantId, createdAt: now }, data, children);
    return { row, insert };
  }

  /**
   * Deleted ones too (restore needs them); erased ones never. One id, not `= ANY(ids)`: for an
   * array Postgres never trusts the cached generic plan and plans each call anew, which cost
   * ~0.25 ms of its CPU per read here (several times the primary-key read itself).
   */
  async find(tenantId: string, id: string): Promise<ContactRow | null> {
    const [row] = await findContact.execute(this.db, [tenantId, id]);
    return row ?? null;
  }

  /** The contact's detail as the contract's JSON text (with its purchase summary), its version and deletion time. */
  async findDetail(tenantId: string, id: string): Promise<ContactDetailRow | null> {
    const [row] = await findContactDetail.execute(this.db, [tenantId, id]);
    return row ?? null;
  }

  /**
   * Replaces the contact's state (emails and phones included) with the next version; null when
   * `before` (the contact as read: its id, version and what its search words were made of) is no
   * longer current.
   */
  async update(tenantId: string, before: ContactBefore, data: ContactWrite): Promise<ContactRow | null> {
    const { id, version } = before;
    const children = childRows(tenantId, id, data);
    if (!(await this.bump(tenantId, id, version, contactValues(data, children)))) return null;
    await replaceContactSearchWords(this.db, tenantId, id, searchWords(contactSearchText(before)), searchWords(contactSearchText(data))).execute();
    await this.db
      .with('emails', (q) => q.deleteFrom('contact_email').where('contact_id', '=', id))
      .deleteFrom('contact_phone')
      .where('contact_id', '=', id)
      .execute();
    await this.db
      .with('new_emails', (q) => q.insertInto('contact_email').columns(EMAIL_COLUMNS).expression(emailRows(children.emails)))
      .insertInto('contact_phone')
      .columns(PHONE_COLUMNS)
      .expression(phoneRows(children.phones))
      .execute();
    return this.find(tenantId, id);
  }

  /** Soft delete (a date) or restore (null), with the next version; null when `version` is no longer current. */
  async setDeleted(tenantId: string, id: string, version: number, deletedAt: Date | null): Promise<ContactRow | null> {
    return (await this.bump(tenantId, id, version, { deleted_at: deletedAt })) ? this.find(tenantId, id) : null;
  }

  /** Records (or, on restore, forgets) the survivor a contact was merged into: erasure follows these links. */
  async setMergedInto(tenantId: string, id: string, survivorId: string | null): Promise<void> {
    await this.db.updateTable('contact').set({ merged_into_id: survivorId }).where('id', '=', id).where('tenant_id', '=', tenantId).execute();
  }

  /** One page in the query's order (limit + 1 rows: the extra one says there is a next page), each contact as its keys and its contract JSON. */
  async list(tenantId: string, query: ContactListQuery): Promise<ContactListRow[]> {
    const { filter, sort, cursor, limit, terms } = query;
    const eb = onContact;
    const where: Expression<SqlBool>[] = [eb('c.tenant_id', '=', tenantId), eb('c.erased_at', 'is', null), softDeleted('c.deleted_at', filter.includeDeleted)];
    // A list by a common tag checks it on the rows the sort's index walk reads; by a rare one it
    // first looks its holders up in the tags index (CommonTags). Planned once for any tag, the one
    // shape sorted every holder of a common tag (customers tagged vip at 100,000 contacts: ~20 ms
    // of Postgres CPU against ~0.4 walking), the other read the whole tenant for a rare one (~60 ms
    // against ~0.2). A search checks the tag on its candidates, one by one.
    const rareTag = filter.tag !== undefined && !terms.length && !(await this.commonTags.isCommon(filter.tag));
    if (filter.tag !== undefined && !rareTag) where.push(sql<SqlBool>`${filter.tag}::text = ANY (c.tags)`);
    if (filter.companyId !== undefined) where.push(eb('c.company_id', '=', filter.companyId));
    if (filter.ownerId !== undefined) where.push(eb('c.owner_id', '=', filter.ownerId));
    if (filter.lifecycleStage !== undefined) where.push(eb('c.lifecycle_stage', '=', filter.lifecycleStage));
    if (filter.updatedSince !== undefined) where.push(sql<SqlBool>`c.updated_at >= ${filter.updatedSince}::timestamptz`);
    if (terms.length) {
      // Exact words first, straight from the word links in id order: a common surname fills the
      // page with ~26 index reads instead of ranking its thousands of holders. The ranked query
      // below runs only when they do not fill it (it then ranks the same exact matches first).
      if (!cursor || Number(cursor.key) === terms.length) {
        const exact = await this.exactMatches(tenantId, terms, where, cursor, limit);
        if (exact.length > limit) return exact;
      }
      return this.ranked(tenantId, terms, where, cursor, limit);
    }
    if (rareTag) {
      return this.db
        .with(
          (cte) => cte('tagged').materialized(),
          (q) =>
            q
              .selectFrom('contact as t')
              .select('t.id')
              .where('t.tenant_id', '=', tenantId)
              .where(sql<SqlBool>`t.tags @> ARRAY[${filter.tag}]::text[]`),
        )
        .selectFrom('contact as c')
        .select(contactListProjection)
        .where((e) => e.and([...where, e('c.id', 'in', e.selectFrom('tagged').select('tagged.id'))]))
        .where(afterCursor(sort, cursor, 'c.id'))
        .orderBy(keysetOrder(sort, 'c.id'))
        .limit(pageRows(limit))
        .execute();
    }
    return this.db
      .selectFrom('contact as c')
      .select(contactListProjection)
      .where((e) => e.and(where))
      .where(afterCursor(sort, cursor, 'c.id'))
      .orderBy(keysetOrder(sort, 'c.id'))
      .limit(pageRows(limit))
      .execute();
  }

  /**
   * Per term, the contacts with a matching word (their own or their company's) and the best
   * word's score; a contact must be found by every term, and ranks by the sum. Scores as exact
   * decimals (text): the cursor must compare equal to what it was made from.
   */
  private ranked(tenantId: string, terms: SearchTerm[], where: Expression<SqlBool>[], cursor: Cursor | undefined, limit: number) {
    const t = (i: number) => sql.table(`t${i}`);
    const after = cursor
      ? sql<SqlBool>`(s.score < ${String(cursor.key)}::numeric OR (s.score = ${String(cursor.key)}::numeric AND s.id > ${cursor.id}::uuid))`
      : sql<SqlBool>`TRUE`;
    // The candidates in rank order, then the filters contact by contact until the page is full:
    // OFFSET 0 keeps the sorted subquery as it is and LIMIT 1 the check a lookup per candidate,
    // else the planner fetches every candidate contact before sorting.
    const page = sql<{ id: string; score: string }>`(
      WITH ${sql.join(terms.flatMap((term, i) => this.termMatches(tenantId, term, i)))},
      s AS (
        SELECT t0.id, round((${sql.join(
          terms.map((_, i) => sql`${t(i)}.score`),
          sql` + `,
        )})::numeric, 8) AS score
        FROM t0 ${sql.join(
          terms.slice(1).map((_, j) => sql`JOIN ${t(j + 1)} ON ${t(j + 1)}.id = t0.id`),
          sql` `,
        )})
      SELECT r.id, r.score
      FROM (SELECT s.id, s.score FROM s WHERE ${after} ORDER BY s.score DESC, s.id ASC OFFSET 0) AS r
      CROSS JOIN LATERAL (${this.db
        .selectFrom('contact as c')
        .select(sql.lit(1).as('one'))
        .where(sql<SqlBool>`c.id = r.id`)
        .where((e) => e.and(where))
        .limit(sql.lit(1))}) AS passes
      ORDER BY r.score DESC, r.id ASC
      LIMIT ${pageRows(limit)})`;
    // On the pool: ranking typo candidates costs Postgres milliseconds (bench:contacts-db), which
    // on a shared pipelined connection would delay every read queued behind it.
    return this.db.onPool
      .with(
        (cte) => cte('page').materialized(),
        () => page,
      )
      .selectFrom('page')
      .innerJoin('contact as c', 'c.id', 'page.id')
      .select([...contactListProjection, sql<string>`page.score::text`.as('score')])
      .orderBy('page.score', 'desc')
      .orderBy('page.id', 'asc')
      .execute();
  }

  /**
   * CTEs m<i> (the vocabulary words matching term i), k<i> (the companies with one of them) and
   * t<i> (the contacts with one, or whose company has one, with the best word's score). Given the
   * words and company ids as arrays, the planner uses the indexes instead of hashing the tenant's
   * whole company word or contact table for what is usually a few rows.
   */
  private termMatches(tenantId: string, term: SearchTerm, i: number) {
    const [m, k, t] = ['m', 'k', 't'].map((name) => sql.table(`${name}${i}`));
    return [
      sql`${m} AS (${matchingWords(this.db, tenantId, term)})`,
      sql`${k} AS (
        SELECT l.company_id AS id, max(m.score) AS score FROM ${m} m
        JOIN company_search_word l ON l.tenant_id = ${tenantId} AND l.word = m.word
        WHERE l.word = ANY (ARRAY(SELECT word FROM ${m}))
        GROUP BY l.company_id)`,
      sql`${t} AS (
        SELECT x.id, max(x.score) AS score FROM (
          SELECT l.contact_id AS id, m.score FROM ${m} m
          JOIN contact_search_word l ON l.tenant_id = ${tenantId} AND l.word = m.word
          UNION ALL
          SELECT c.id, k.score FROM contact c JOIN ${k} k ON k.id = c.company_id
          WHERE c.tenant_id = ${tenantId} AND c.company_id = ANY (ARRAY(SELECT id FROM ${k}))
        ) x
        GROUP BY x.id)`,
    ];
  }

  /**
   * One page of the contacts that have every term as a word (their own, or their company's), in
   * id order after the cursor, with the score the ranked query gives them (1 a term: every other
   * word scores less, see matchingWords). The top of a union in id order is the top of the two
   * tops: the contacts with the word through the (tenant_id, word, contact_id) key, read in order
   * and checked one by one (LIMIT stops after the page), and those whose company has it.
   */
  private exactMatches(tenantId: string, terms: SearchTerm[], where: Expression<SqlBool>[], cursor: Cursor | undefined, limit: number) {
    const [first, ...others] = terms;
    const eb = onContact;
    const hasWord = (term: SearchTerm) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom('contact_search_word as l')
            .select('l.word')
            .where('l.tenant_id', '=', tenantId)
            .where('l.word', '=', term.text)
            .whereRef('l.contact_id', '=', 'c.id'),
        ),
        eb.exists(
          eb
            .selectFrom('contact as o')
            .innerJoin('company_search_word as w', (join) =>
              join.on('w.tenant_id', '=', tenantId).on('w.word', '=', term.text).onRef('w.company_id', '=', 'o.company_id'),
            )
            .select('w.word')
            .whereRef('o.id', '=', 'c.id'),
        ),
      ]);
    const passes = [...where, ...(cursor ? [eb('c.id', '>', cursor.id)] : []), ...others.map(hasWord)];
    return this.db
      .with('own', (q) => {
        let own = q
          .selectFrom('contact_search_word as l')
          .crossJoinLateral((lateral) =>
            lateral
              .selectFrom('contact as c')
              .select(sql.lit(1).as('one'))
              .whereRef('c.id', '=', 'l.contact_id')
              .where((e) => e.and(passes))
              .limit(sql.lit(1))
              .as('passes'),
          )
          .select('l.contact_id as id')
          .where('l.tenant_id', '=', tenantId)
          .where('l.word', '=', first.text);
        if (cursor) own = own.where('l.contact_id', '>', cursor.id);
        return own.orderBy('l.contact_id').limit(pageRows(limit));
      })
      .with('via_company', (q) =>
        q
          .selectFrom('company_search_word as w')
          .innerJoin('contact as c', (join) => join.on('c.tenant_id', '=', tenantId).onRef('c.company_id', '=', 'w.company_id'))
          .select('c.id')
          .where('w.tenant_id', '=', tenantId)
          .where('w.word', '=', first.text)
          .where((e) => e.and(passes))
          .orderBy('c.id')
          .limit(pageRows(limit)),
      )
      .with(
        (cte) => cte('page').materialized(),
        (q) => q.selectFrom('own').select('own.id').union(q.selectFrom('via_company').select('via_company.id')).orderBy('id').limit(pageRows(limit)),
      )
      .selectFrom('page')
      .innerJoin('contact as c', 'c.id', 'page.id')
      .select([...contactListProjection, sql<string>`round(${sql.lit(terms.length)}::numeric, 8)::text`.as('score')])
      .orderBy('c.id')
      .execute();
  }

  private async bump(tenantId: string, id: string, version: number, fields: ContactUpdate): Promise<boolean> {
    const result = await updateContact(this.db, { tenantId, id, version }, fields).executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }
}
