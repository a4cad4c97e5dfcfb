import { type Kysely, sql, type SqlBool } from 'kysely';
import type { DB } from '../generated/kysely/database';
import { vocabularyRows } from '../shared/search-words';

/**
 * One statement that makes `words` the words of one company, as replaceContactSearchWords does
 * for a contact (the same races, the same reasons): missing ones added to the tenant's vocabulary
 * and as links, the others removed, with the words no other record has. With no words: a purge.
 */
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
          .expression(
            sql<{ tenant_id: string; word: string; company_id: string }>`SELECT ${tenantId}::text, w, ${companyId}::uuid FROM unnest(${words}::text[]) AS w`,
          )
          .onConflict((oc) => oc.doNothing()),
      )
      .deleteFrom('search_word as v')
      .using('removed as r')
      .where('v.tenant_id', '=', tenantId)
      .whereRef('v.word', '=', 'r.word')
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
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('contact_search_word as l').select('l.word').whereRef('l.tenant_id', '=', 'v.tenant_id').whereRef('l.word', '=', 'v.word'))),
      )
  );
}
