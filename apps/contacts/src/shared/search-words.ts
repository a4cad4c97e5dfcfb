import { Kysely, sql, SqlBool } from 'kysely';
import type { DB } from '../generated/kysely/database';

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
 * The words a record is found by, from its normalised search text (contact: contactSearchText,
 * i.e. names, email addresses and phone digits; company: sort_name): its distinct runs (wordRuns), so
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
 * enough for the trigram index (see matchingWords in search-terms.ts).
 */
export const typoKeysSql = (w: string) =>
  `CASE WHEN ${w} ~ '^[[:alpha:]]{3,8}$'
     THEN array_prepend(${w}, ARRAY(SELECT overlay(${w} placing '' from i for 1) FROM generate_series(1, length(${w})) AS i))
     ELSE '{}' END`;

/**
 * The rows that add `words` (distinct) to the tenant's vocabulary (search_word: tenant_id, word,
 * typo_keys; insert them ON CONFLICT DO NOTHING), in word order: concurrent writers take the
 * same keys in the same order.
 */
export function vocabularyRows(tenantId: string, words: string[]) {
  return sql<{
    tenant_id: string;
    word: string;
    typo_keys: string[];
  }>`SELECT ${tenantId}::text, w, ${sql.raw(typoKeysSql('w'))} FROM unnest(${words}::text[]) AS w ORDER BY w`;
}

/** The link rows of many new records at once (an import batch): `words[i]` is a word of record `ids[i]` (columns tenant_id, word, <owner>_id). */
export function wordLinkRows(tenantId: string, ids: string[], words: string[]) {
  return sql<{ tenant_id: string; word: string; id: string }>`SELECT ${tenantId}::text, w, id FROM unnest(${words}::text[], ${ids}::uuid[]) AS l(w, id)`;
}

/** The rows that link one record to its words (contact_search_word or company_search_word: tenant_id, word, <owner>_id). */
export function recordWordRows(tenantId: string, id: string, words: string[]) {
  return sql<{ tenant_id: string; word: string; id: string }>`SELECT ${tenantId}::text, w, ${id}::uuid FROM unnest(${words}::text[]) AS w`;
}

/** The rows that link a contact to its words. */
export const contactWordRows = recordWordRows;

/**
 * One statement that makes `words` the words of one contact: the missing ones are added (to the
 * tenant's vocabulary and as links), the others removed, and those of them that no other record
 * has leave the vocabulary too (an erased contact's address must not stay behind).
 *
 * `previous` are the words the contact has until now (searchWords of its search text before the
 * write: every writer links exactly those): the links of those not in `words` are found through
 * the links' primary key. There is no index on contact_id, which cost every link of every new
 * contact a second entry. `'every link'` (erasure: no word of the contact may stay, however it
 * was written) reads the tenant's links instead, a scan an erasure can afford.
 *
 * There are no locks, so that writes never wait on each other for shared words ("gmail",
 * "com"); the price is two rare races on a word whose last holder drops it at that very moment.
 * If another record gets the word concurrently, the word can leave the vocabulary although that
 * record has it: the record is still found by the exact word (searches look the term itself up in
 * the links), not by a typo or part of it, until the word is written again. If the last two
 * holders drop it concurrently, it can stay in the vocabulary with no record (found by nothing).
 */
export function replaceContactSearchWords(db: Kysely<DB>, tenantId: string, contactId: string, previous: string[] | 'every link', words: string[]) {
  const gone = previous === 'every link' ? undefined : previous.filter((word) => !words.includes(word));
  return (
    db
      .with('removed', (q) => {
        const links = q.deleteFrom('contact_search_word').where('tenant_id', '=', tenantId).where('contact_id', '=', contactId);
        return (gone ? links.where(sql<SqlBool>`word = ANY(${gone}::text[])`) : links.where(sql<SqlBool>`word <> ALL(${words}::text[])`)).returning('word');
      })
      .with('vocabulary', (q) =>
        q
          .insertInto('search_word')
          .columns(['tenant_id', 'word', 'typo_keys'])
          .expression(vocabularyRows(tenantId, words))
          .onConflict((oc) => oc.doNothing()),
      )
      .with('links', (q) =>
        q
          .insertInto('contact_search_word')
          .columns(['tenant_id', 'word', 'contact_id'])
          .expression(contactWordRows(tenantId, contactId, words))
          .onConflict((oc) => oc.doNothing()),
      )
      .deleteFrom('search_word as v')
      .using('removed as r')
      .where('v.tenant_id', '=', tenantId)
      .whereRef('v.word', '=', 'r.word')
      // Other records' links only: this contact's removed links are still visible to this statement.
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('contact_search_word as l')
              .select('l.word')
              .whereRef('l.tenant_id', '=', 'v.tenant_id')
              .whereRef('l.word', '=', 'v.word')
              .where('l.contact_id', '<>', contactId),
          ),
        ),
      )
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('company_search_word as l').select('l.word').whereRef('l.tenant_id', '=', 'v.tenant_id').whereRef('l.word', '=', 'v.word'))),
      )
  );
}

/** replaceContactSearchWords for a company (company_search_word); with no words: the purge. */
export function replaceCompanySearchWords(db: Kysely<DB>, tenantId: string, companyId: string, words: string[]) {
  return (
    db
      .with('removed', (q) =>
        q
          .deleteFrom('company_search_word')
          .where('tenant_id', '=', tenantId)
          .where('company_id', '=', companyId)
          .where(sql<SqlBool>`word <> ALL(${words}::text[])`)
          .returning('word'),
      )
      .with('vocabulary', (q) =>
        q
          .insertInto('search_word')
          .columns(['tenant_id', 'word', 'typo_keys'])
          .expression(vocabularyRows(tenantId, words))
          .onConflict((oc) => oc.doNothing()),
      )
      .with('links', (q) =>
        q
          .insertInto('company_search_word')
          .columns(['tenant_id', 'word', 'company_id'])
          .expression(recordWordRows(tenantId, companyId, words))
          .onConflict((oc) => oc.doNothing()),
      )
      .deleteFrom('search_word as v')
      .using('removed as r')
      .where('v.tenant_id', '=', tenantId)
      .whereRef('v.word', '=', 'r.word')
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('contact_search_word as l').select('l.word').whereRef('l.tenant_id', '=', 'v.tenant_id').whereRef('l.word', '=', 'v.word'))),
      )
      // Other records' links only: this company's removed links are still visible to this statement.
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('company_search_word as l')
              .select('l.word')
              .whereRef('l.tenant_id', '=', 'v.tenant_id')
              .whereRef('l.word', '=', 'v.word')
              .where('l.company_id', '<>', companyId),
          ),
        ),
      )
  );
}
