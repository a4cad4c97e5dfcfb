import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterPrisma } from '@nestjs-cls/transactional-adapter-prisma';
import { Prisma } from '../generated/prisma/client';
import type { SqlWrite } from '@crm/messaging';
import { PreparedStatements } from '../infrastructure/database/prepared-statements';
import type { PrismaService } from '../infrastructure/database/prisma.service';
import type { Cursor } from '../shared/cursor';
import { afterCursorSql, orderBySql, pageRows, SortColumn, SortSpec } from '../shared/keyset';
import { matchingWordsSql, SearchTerm } from '../shared/search-terms';
import { newContactSearchWordsCtes, replaceSearchWordsSql, searchWords } from '../shared/search-words';
import { restoreDeadline } from '../shared/soft-delete';
import { phoneDigits, textKey } from '../shared/text-keys';
import { CommonTags } from './common-tags';
import { CONTACT_SELECT, contactChildrenCtes, contactColumns, DELETE_CONTACT_CHILDREN, FIND_CONTACT } from './contact-statements';

/** A contact as the service reads it (CONTACT_SELECT); the merge link is erasure's business only. */
export type ContactRow = Omit<Prisma.ContactGetPayload<{ include: { emails: true; phones: true } }>, 'mergedIntoId' | 'emailList' | 'phoneList'>;

/** A contact's whole stored state as the service decides it; derived keys are computed here. */
export interface ContactWrite {
  firstName: string;
  lastName: string | null;
  title: string | null;
  emails: { address: string; label?: string; primary: boolean }[];
  phones: { number: string; label?: string; primary: boolean }[];
  addresses: object[];
  companyId: string | null;
  ownerId: string | null;
  tags: string[];
  lifecycleStage: string;
  customFields: Record<string, unknown>;
}

export interface ContactListQuery {
  filter: { tag?: string; companyId?: string; ownerId?: string; lifecycleStage?: string; updatedSince?: string; includeDeleted?: boolean };
  terms: SearchTerm[];
  sort: SortSpec;
  cursor?: Cursor;
  limit: number;
}

export const CONTACT_SORT_COLUMNS: Record<string, SortColumn> = {
  lastName: { sql: Prisma.sql`c.sort_last_name`, type: 'text', indexDesc: false },
  updatedAt: { sql: Prisma.sql`c.updated_at`, type: 'timestamptz', indexDesc: true },
  createdAt: { sql: Prisma.sql`c.created_at`, type: 'timestamptz', indexDesc: true },
};

/** Lower-cased: how addresses are compared (duplicates, search). */
export const emailKey = (address: string) => address.trim().toLowerCase();

/** Contacts with their emails and phones; the only code that touches those tables. */
@Injectable()
export class ContactRepository {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterPrisma<PrismaService>>,
    private readonly statements: PreparedStatements,
    private readonly commonTags: CommonTags,
  ) {}

  private get db() {
    return this.txHost.tx;
  }

  // Writes are raw statements: each Prisma query costs ~1.5 ms of CPU in its query compiler,
  // and a create was five of them.

  /**
   * A new contact as the CTEs of one statement (the contact, its emails and its phones) and the
   * row they will make: built here, so that its created event can be written by the same
   * statement (EventPublisher.publishAlong) with no interactive transaction.
   */
  async newContact(tenantId: string, data: ContactWrite): Promise<{ row: ContactRow; write: SqlWrite }> {
    const id = randomUUID();
    const now = new Date();
    const fields = await this.columns(tenantId, data);
    const { emails, phones } = childRows(tenantId, id, data);
    const { columns, placeholders, values } = contactColumns({ ...fields, emailList: emails, phoneList: phones }, 6);
    const write: SqlWrite = {
      ctes: [
        `new_contact AS (INSERT INTO contact (id, tenant_id, created_at, updated_at, ${columns.join(', ')})
           VALUES ($1::uuid, $2, $3::timestamptz, $3::timestamptz, ${placeholders.join(', ')}))`,
        ...contactChildrenCtes({ contactId: '$1', tenantId: '$2', emails: '$4', phones: '$5' }),
        ...newContactSearchWordsCtes({ contactId: '$1', tenantId: '$2', words: `$${6 + values.length}` }),
      ],
      values: [id, tenantId, now, JSON.stringify(emails), JSON.stringify(phones), ...values, searchWords(contactSearchText(data))],
    };
    const row: ContactRow = {
      id, tenantId, ...(fields as Omit<ContactRow, 'id' | 'tenantId' | 'version' | 'createdAt' | 'updatedAt' | 'deletedAt' | 'erasedAt' | 'emails' | 'phones'>),
      version: 1, createdAt: now, updatedAt: now, deletedAt: null, erasedAt: null, emails, phones,
    };
    return { row, write };
  }

  /** Deleted ones too (restore needs them); erased ones never. */
  async find(tenantId: string, id: string): Promise<ContactRow | null> {
    return (await this.statements.rows<ContactRow>(FIND_CONTACT, [tenantId, id]))[0] ?? null;
  }

  /** Replaces the contact's state (emails and phones included) with the next version; null when `version` is no longer current. */
  async update(tenantId: string, id: string, version: number, data: ContactWrite): Promise<ContactRow | null> {
    const children = childRows(tenantId, id, data);
    const fields = { ...(await this.columns(tenantId, data)), emailList: children.emails, phoneList: children.phones };
    if (!(await this.bump(tenantId, id, version, fields))) return null;
    await this.db.$executeRaw(replaceSearchWordsSql('contact', tenantId, id, searchWords(contactSearchText(data))));
    await this.db.$executeRawUnsafe(DELETE_CONTACT_CHILDREN, id);
    await this.writeChildren(tenantId, id, children);
    return this.find(tenantId, id);
  }

  /** Soft delete (a date) or restore (null), with the next version; null when `version` is no longer current. */
  async setDeleted(tenantId: string, id: string, version: number, deletedAt: Date | null): Promise<ContactRow | null> {
    return (await this.bump(tenantId, id, version, { deletedAt })) ? this.find(tenantId, id) : null;
  }

  /** Records (or, on restore, forgets) the survivor a contact was merged into: erasure follows these links. */
  async setMergedInto(tenantId: string, id: string, survivorId: string | null): Promise<void> {
    await this.db.$executeRaw`UPDATE contact SET merged_into_id = ${survivorId}::uuid WHERE id = ${id}::uuid AND tenant_id = ${tenantId}`;
  }

  /** Keeps the stored company name in step with a renamed company (search finds contacts through the company's own words). */
  async setCompanySearchText(tenantId: string, companyId: string, text: string): Promise<void> {
    await this.db.contact.updateMany({ where: { tenantId, companyId }, data: { companySearchText: text } });
  }

  /** One page in the query's order (limit + 1 rows: the extra one says there is a next page). */
  async list(tenantId: string, query: ContactListQuery): Promise<(ContactRow & { score?: string })[]> {
    const { filter, sort, cursor, limit, terms } = query;
    const where: Prisma.Sql[] = [Prisma.sql`c.tenant_id = ${tenantId}`, Prisma.sql`c.erased_at IS NULL`];
    where.push(
      filter.includeDeleted
        ? Prisma.sql`(c.deleted_at IS NULL OR c.deleted_at >= ${restoreDeadline().toISOString()}::timestamptz)`
        : Prisma.sql`c.deleted_at IS NULL`,
    );
    // A list by a common tag checks it on the rows the sort's index walk reads; by a rare one it
    // first looks its holders up in the tags index (CommonTags). Planned once for any tag, the one
    // shape sorted every holder of a common tag (customers tagged vip at 100,000 contacts: ~20 ms
    // of Postgres CPU against ~0.4 walking), the other read the whole tenant for a rare one (~60 ms
    // against ~0.2). A search checks the tag on its candidates, one by one.
    const rareTag = filter.tag !== undefined && !terms.length && !(await this.commonTags.isCommon(filter.tag));
    if (filter.tag !== undefined) where.push(rareTag ? Prisma.sql`c.id IN (SELECT id FROM tagged)` : Prisma.sql`${filter.tag}::text = ANY (c.tags)`);
    if (filter.companyId !== undefined) where.push(Prisma.sql`c.company_id = ${filter.companyId}::uuid`);
    if (filter.ownerId !== undefined) where.push(Prisma.sql`c.owner_id = ${filter.ownerId}::uuid`);
    if (filter.lifecycleStage !== undefined) where.push(Prisma.sql`c.lifecycle_stage = ${filter.lifecycleStage}`);
    if (filter.updatedSince !== undefined) where.push(Prisma.sql`c.updated_at >= ${filter.updatedSince}::timestamptz`);
    const id = Prisma.sql`c.id`;
    // Scores as exact decimals (text): the cursor must compare equal to what it was made from.
    // One statement reads the page and its rows: every round trip to Postgres costs CPU here.
    const contactSelect = Prisma.raw(CONTACT_SELECT);
    if (terms.length) {
      // Exact words first, straight from the word links in id order: a common surname fills the
      // page with ~26 index reads instead of ranking its thousands of holders. The ranked query
      // below runs only when they do not fill it (it then ranks the same exact matches first).
      if (!cursor || Number(cursor.key) === terms.length) {
        const exact = await this.statements.query<ContactRow & { score: string }>(exactMatchesSql(tenantId, terms, where, cursor, limit));
        if (exact.length > limit) return exact;
      }
      // Per term, the contacts with a matching word (their own or their company's) and the best
      // word's score; a contact must be found by every term, and ranks by the sum.
      const matched = terms.map((_, i) => Prisma.raw(`t${i}`));
      const joins = matched.slice(1).map((t) => Prisma.sql`JOIN ${t} ON ${t}.id = t0.id`);
      const after = cursor
        ? Prisma.sql`(s.score < ${String(cursor.key)}::numeric OR (s.score = ${String(cursor.key)}::numeric AND s.id > ${cursor.id}::uuid))`
        : Prisma.sql`TRUE`;
      // The candidates in rank order, then the filters contact by contact until the page is full:
      // OFFSET 0 keeps the sorted subquery as it is and LIMIT 1 the check a lookup per candidate,
      // else the planner fetches every candidate contact before sorting.
      return this.statements.query<ContactRow & { score: string }>(Prisma.sql`
        WITH ${Prisma.join(terms.flatMap((term, i) => contactsMatchingSql(tenantId, term, i)), ', ')},
        s AS (
          SELECT t0.id, round((${Prisma.join(matched.map((t) => Prisma.sql`${t}.score`), ' + ')})::numeric, 8) AS score
          FROM t0 ${joins.length ? Prisma.join(joins, ' ') : Prisma.empty}),
        page AS MATERIALIZED (
          SELECT r.id, r.score
          FROM (SELECT s.id, s.score FROM s WHERE ${after} ORDER BY s.score DESC, s.id ASC OFFSET 0) AS r
          CROSS JOIN LATERAL (SELECT 1 FROM contact c WHERE c.id = r.id AND ${Prisma.join(where, ' AND ')} LIMIT 1) AS passes
          ORDER BY r.score DESC, r.id ASC
          LIMIT ${pageRows(limit)})
        SELECT ${contactSelect}, page.score::text AS score
        FROM page JOIN contact c ON c.id = page.id
        ORDER BY page.score DESC, page.id ASC`);
    }
    const tagged = rareTag
      ? Prisma.sql`WITH tagged AS MATERIALIZED (SELECT t.id FROM contact t WHERE t.tenant_id = ${tenantId} AND t.tags @> ARRAY[${filter.tag}]::text[])`
      : Prisma.empty;
    return this.statements.query<ContactRow>(Prisma.sql`
      ${tagged}
      SELECT ${contactSelect} FROM contact c
      WHERE ${Prisma.join(where, ' AND ')} AND ${afterCursorSql(sort, cursor, id)}
      ${orderBySql(sort, id)}
      LIMIT ${pageRows(limit)}`);
  }

  private async bump(tenantId: string, id: string, version: number, fields: Record<string, unknown>): Promise<boolean> {
    const { columns, placeholders, values } = contactColumns(fields, 5);
    const assignments = columns.map((column, i) => `${column} = ${placeholders[i]}`);
    const count = await this.db.$executeRawUnsafe(
      `UPDATE contact SET ${[...assignments, 'version = version + 1', 'updated_at = $4::timestamptz'].join(', ')}
        WHERE id = $1::uuid AND tenant_id = $2 AND version = $3::int AND erased_at IS NULL`,
      id,
      tenantId,
      version,
      new Date(),
      ...values,
    );
    return count === 1;
  }

  private async columns(tenantId: string, data: ContactWrite) {
    const company = data.companyId
      ? await this.db.company.findFirst({ where: { id: data.companyId, tenantId }, select: { sortName: true } })
      : null;
    return {
      firstName: data.firstName,
      lastName: data.lastName,
      title: data.title,
      addresses: data.addresses as Prisma.InputJsonValue,
      companyId: data.companyId,
      ownerId: data.ownerId,
      tags: data.tags,
      lifecycleStage: data.lifecycleStage,
      customFields: data.customFields as Prisma.InputJsonValue,
      sortLastName: textKey(data.lastName),
      searchText: contactSearchText(data),
      companySearchText: company?.sortName ?? '',
    };
  }

  private async writeChildren(tenantId: string, contactId: string, { emails, phones }: Pick<ContactRow, 'emails' | 'phones'>): Promise<void> {
    if (!emails.length && !phones.length) return;
    const ctes = contactChildrenCtes({ contactId: '$2', tenantId: '$1', emails: '$3', phones: '$4' });
    await this.db.$executeRawUnsafe(`WITH ${ctes.join(', ')} SELECT 1`, tenantId, contactId, JSON.stringify(emails), JSON.stringify(phones));
  }

}

/** A contact's emails and phones as the rows they are stored as, in position order (new ids). */
function childRows(tenantId: string, contactId: string, data: Pick<ContactWrite, 'emails' | 'phones'>): Pick<ContactRow, 'emails' | 'phones'> {
  return {
    emails: data.emails.map((e, position) => ({
      id: randomUUID(), tenantId, contactId, position, address: e.address, addressKey: emailKey(e.address), label: e.label ?? null, primary: e.primary,
    })),
    phones: data.phones.map((p, position) => ({
      id: randomUUID(), tenantId, contactId, position, number: p.number, digits: phoneDigits(p.number), label: p.label ?? null, primary: p.primary,
    })),
  };
}

/** Normalised names, email addresses and phone digits, space-separated: what a contact's search words are made of. */
export function contactSearchText(data: Pick<ContactWrite, 'firstName' | 'lastName' | 'emails' | 'phones'>): string {
  return [textKey(data.firstName), textKey(data.lastName), ...data.emails.map((e) => emailKey(e.address)), ...data.phones.map((p) => phoneDigits(p.number))]
    .filter(Boolean)
    .join(' ');
}

/**
 * CTEs m<i> (the vocabulary words matching term i), k<i> (the companies with one of them) and
 * t<i> (the contacts with one, or whose company has one, with the best word's score).
 */
function contactsMatchingSql(tenantId: string, term: SearchTerm, i: number): Prisma.Sql[] {
  const [m, k, t] = ['m', 'k', 't'].map((name) => Prisma.raw(`${name}${i}`));
  return [
    Prisma.sql`${m} AS (${matchingWordsSql(tenantId, term)})`,
    // Given the words and company ids as arrays, the planner uses the indexes instead of hashing
    // the tenant's whole company word or contact table for what is usually a few rows.
    Prisma.sql`${k} AS (
      SELECT l.company_id AS id, max(m.score) AS score FROM ${m} m
      JOIN company_search_word l ON l.tenant_id = ${tenantId} AND l.word = m.word
      WHERE l.word = ANY (ARRAY(SELECT word FROM ${m}))
      GROUP BY l.company_id)`,
    Prisma.sql`${t} AS (
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
 * word scores less, see matchingWordsSql). The top of a union in id order is the top of the two
 * tops: the contacts with the word through the (tenant_id, word, contact_id) key, read in order
 * and checked one by one (LIMIT stops after the page), and those whose company has it.
 */
function exactMatchesSql(tenantId: string, terms: SearchTerm[], where: Prisma.Sql[], cursor: Cursor | undefined, limit: number): Prisma.Sql {
  const hasWord = (term: SearchTerm, id: Prisma.Sql) =>
    Prisma.sql`(EXISTS (SELECT 1 FROM contact_search_word l WHERE l.tenant_id = ${tenantId} AND l.word = ${term.text} AND l.contact_id = ${id})
      OR EXISTS (SELECT 1 FROM contact o JOIN company_search_word w ON w.tenant_id = ${tenantId} AND w.word = ${term.text} AND w.company_id = o.company_id
                 WHERE o.id = ${id}))`;
  const [first, ...others] = terms;
  const passes = (id: Prisma.Sql) =>
    Prisma.join([...where, ...(cursor ? [Prisma.sql`c.id > ${cursor.id}::uuid`] : []), ...others.map((term) => hasWord(term, id))], ' AND ');
  const contactSelect = Prisma.raw(CONTACT_SELECT);
  return Prisma.sql`
    WITH own AS (
      SELECT l.contact_id AS id FROM contact_search_word l
      CROSS JOIN LATERAL (SELECT 1 FROM contact c WHERE c.id = l.contact_id AND ${passes(Prisma.sql`c.id`)} LIMIT 1) AS passes
      WHERE l.tenant_id = ${tenantId} AND l.word = ${first.text}${cursor ? Prisma.sql` AND l.contact_id > ${cursor.id}::uuid` : Prisma.empty}
      ORDER BY l.contact_id
      LIMIT ${pageRows(limit)}
    ), via_company AS (
      SELECT c.id FROM company_search_word w
      JOIN contact c ON c.tenant_id = ${tenantId} AND c.company_id = w.company_id
      WHERE w.tenant_id = ${tenantId} AND w.word = ${first.text} AND ${passes(Prisma.sql`c.id`)}
      ORDER BY c.id
      LIMIT ${pageRows(limit)}
    ), page AS MATERIALIZED (
      SELECT id FROM own UNION SELECT id FROM via_company ORDER BY id LIMIT ${pageRows(limit)}
    )
    SELECT ${contactSelect}, round(${terms.length}::numeric, 8)::text AS score
    FROM page JOIN contact c ON c.id = page.id
    ORDER BY c.id`;
}
