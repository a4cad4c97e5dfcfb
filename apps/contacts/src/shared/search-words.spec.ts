import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import type { DB } from '../generated/kysely/database';
import { replaceCompanySearchWords, replaceContactSearchWords, searchWords } from './search-words';

const compiler = new Kysely<DB>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

describe('search words', () => {
  it('are the distinct runs of letters and of digits, sorted', () => {
    expect(searchWords('j.smith42@initech.example smith')).toEqual(['42', 'example', 'initech', 'j', 'smith']);
  });

  it.each([
    ['contact (erasure: every link)', (db: Kysely<DB>, t: string, r: string, words: string[]) => replaceContactSearchWords(db, t, r, 'every link', words), 'contact_search_word', 'contact_id'],
    ['company', replaceCompanySearchWords, 'company_search_word', 'company_id'],
  ] as const)('a %s gets its words in one statement: stale links out, new words and links in, orphaned words out', (_, replace, links, id) => {
    const { sql, parameters } = replace(compiler, 't1', 'r1', ['ada', 'lovelace']).compile();
    expect(sql).toMatch(
      new RegExp(
        `^with "removed" as \\(delete from "${links}" where "tenant_id" = \\$1 and "${id}" = \\$2 and word <> ALL\\(\\$3::text\\[\\]\\) returning "word"\\), ` +
          `"vocabulary" as \\(insert into "search_word" \\("tenant_id", "word", "typo_keys"\\) SELECT .* on conflict do nothing\\), ` +
          `"links" as \\(insert into "${links}" \\("tenant_id", "word", "${id}"\\) SELECT .* on conflict do nothing\\) ` +
          `delete from "search_word" as "v" using "removed" as "r" where "v"."tenant_id" = \\$\\d+ and "v"."word" = "r"."word" and not exists .* and not exists .*$`,
        's',
      ),
    );
    // Only this record's other links are ignored when deciding whether a word is still used.
    expect(sql).toContain(`"l"."${id}" <> $`);
    expect(parameters.filter((p) => p === 'r1')).toHaveLength(3);
  });

  it("a contact's stale links are the words it had and has no more, found by the links' key (no index on contact_id)", () => {
    const { sql, parameters } = replaceContactSearchWords(compiler, 't1', 'r1', ['ada', 'byron', 'lovelace'], ['ada', 'king', 'lovelace']).compile();
    expect(sql).toMatch(/^with "removed" as \(delete from "contact_search_word" where "tenant_id" = \$1 and "contact_id" = \$2 and word = ANY\(\$3::text\[\]\) returning "word"\)/);
    expect(parameters[2]).toEqual(['byron']);
  });
});
