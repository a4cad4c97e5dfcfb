import { Prisma } from '../generated/prisma/client';

const RUNS = /\p{L}+|\p{Nd}+/gu;

/**
 * The runs of letters and the runs of digits of a normalised text, in order: what stored words
 * and search terms are made of. "j.smith42@initech.example" gives j, smith, 42, initech, example;
 * a phone number's digits are one run.
 */
export function wordRuns(text: string): string[] {
  return text.match(RUNS) ?? [];
}

/**
 * The words a record is found by, from its normalised search text (contact: search_text, i.e.
 * names, email addresses and phone digits; company: sort_name): its distinct runs (wordRuns), so
 * an address is found by its name and domain parts and a query is cut the same way (searchTerms).
 * Letters and digits apart ("smith42": smith, 42), so that "smith" does not match a one-contact
 * word in every numbered address (john.smith42@...). The migration that made the first words
 * (20261201002156_search_words) does the same in SQL.
 */
export function searchWords(text: string): string[] {
  return [...new Set(wordRuns(text))].sort();
}

/**
 * SQL for the typo keys of the word `w` (an SQL expression), as search_word.typo_keys holds them:
 * for a word of 3 to 8 letters, the word and each way of leaving one letter out. Two words one
 * typo apart (a letter changed, added or dropped, two neighbours swapped) share a key: "jhon" and
 * "john" share "jon". Longer words do without: one typo leaves a 9-letter word trigram-similar
 * enough for the trigram index (see matchingWordsSql).
 */
export const typoKeysSql = (w: string) =>
  `CASE WHEN ${w} ~ '^[[:alpha:]]{3,8}$'
     THEN array_prepend(${w}, ARRAY(SELECT overlay(${w} placing '' from i for 1) FROM generate_series(1, length(${w})) AS i))
     ELSE '{}' END`;

/** What has words: the link table and its id column. */
export type SearchWordOwner = 'contact' | 'company';

const LINKS: Record<SearchWordOwner, { table: Prisma.Sql; id: Prisma.Sql }> = {
  contact: { table: Prisma.raw('contact_search_word'), id: Prisma.raw('contact_id') },
  company: { table: Prisma.raw('company_search_word'), id: Prisma.raw('company_id') },
};

/**
 * One statement that makes `words` the words of one contact or company: the missing ones are
 * added (to the tenant's vocabulary and as links), the others removed, and those of them that no
 * other record has leave the vocabulary too (an erased contact's address must not stay behind).
 * With no words: erasure.
 *
 * There are no locks, so that writes never wait on each other for shared words ("gmail",
 * "com"); the price is two rare races on a word whose last holder drops it at that very moment.
 * If another record gets the word concurrently, the word can leave the vocabulary although that
 * record has it: the record is still found by the exact word (searches look the term itself up in
 * the links), not by a typo or part of it, until the word is written again. If the last two
 * holders drop it concurrently, it can stay in the vocabulary with no record (found by nothing).
 */
export function replaceSearchWordsSql(owner: SearchWordOwner, tenantId: string, id: string, words: string[]): Prisma.Sql {
  const { table, id: idColumn } = LINKS[owner];
  // Other records' links only: this record's removed links are still visible to this statement.
  const elsewhere = (other: SearchWordOwner) =>
    Prisma.sql`NOT EXISTS (SELECT 1 FROM ${LINKS[other].table} l WHERE l.tenant_id = v.tenant_id AND l.word = v.word${
      other === owner ? Prisma.sql` AND l.${idColumn} <> ${id}::uuid` : Prisma.empty
    })`;
  return Prisma.sql`
    WITH removed AS (
      DELETE FROM ${table} WHERE tenant_id = ${tenantId} AND ${idColumn} = ${id}::uuid AND word <> ALL(${words}::text[])
      RETURNING word
    ), vocabulary AS (
      INSERT INTO search_word (tenant_id, word, typo_keys)
      SELECT ${tenantId}, w, ${Prisma.raw(typoKeysSql('w'))} FROM unnest(${words}::text[]) AS w ORDER BY w
      ON CONFLICT DO NOTHING
    ), links AS (
      INSERT INTO ${table} (tenant_id, word, ${idColumn}) SELECT ${tenantId}, w, ${id}::uuid FROM unnest(${words}::text[]) AS w
      ON CONFLICT DO NOTHING
    )
    DELETE FROM search_word v USING removed r
    WHERE v.tenant_id = ${tenantId} AND v.word = r.word AND ${elsewhere('contact')} AND ${elsewhere('company')}`;
}

/** One statement that gives new records their words: `words[i]` is a word of record `ids[i]` (an import batch). */
export function insertSearchWordsSql(owner: SearchWordOwner, tenantId: string, ids: string[], words: string[]): Prisma.Sql {
  const { table, id: idColumn } = LINKS[owner];
  return Prisma.sql`
    WITH vocabulary AS (
      INSERT INTO search_word (tenant_id, word, typo_keys)
      SELECT ${tenantId}, w, ${Prisma.raw(typoKeysSql('w'))} FROM (SELECT DISTINCT w FROM unnest(${words}::text[]) AS w) AS d ORDER BY w
      ON CONFLICT DO NOTHING
    )
    INSERT INTO ${table} (tenant_id, word, ${idColumn}) SELECT ${tenantId}, w, id FROM unnest(${words}::text[], ${ids}::uuid[]) AS l(w, id)`;
}

/**
 * CTEs giving a contact that the same statement inserts its words (new words to the tenant's
 * vocabulary, then the links); `contactId`, `tenantId` and `words` (text[]) are that statement's
 * placeholders.
 */
export function newContactSearchWordsCtes(p: { contactId: string; tenantId: string; words: string }): string[] {
  return [
    `new_search_words AS (INSERT INTO search_word (tenant_id, word, typo_keys)
       SELECT ${p.tenantId}, w, ${typoKeysSql('w')} FROM unnest(${p.words}::text[]) AS w ORDER BY w ON CONFLICT DO NOTHING)`,
    `new_contact_search_words AS (INSERT INTO contact_search_word (tenant_id, word, contact_id)
       SELECT ${p.tenantId}, w, ${p.contactId}::uuid FROM unnest(${p.words}::text[]) AS w)`,
  ];
}
