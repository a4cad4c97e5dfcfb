import { Expression, QueryCreator, sql, SqlBool } from 'kysely';
import type { DB } from '../generated/kysely/database';
import { wordRuns } from './search-words';
import { phoneDigits, textKey } from './text-keys';

/**
 * A search term: a word matched exactly, by prefix, part or typo (matchingWords), a phone
 * number's digits (matched as a part), or text matched only as it is.
 */
export type SearchTerm = { kind: 'word' | 'digits' | 'exact'; text: string };

const PHONE_LIKE = /^\+?[0-9 ().-]+$/;
const MAX_TERMS = 8;

/**
 * A search box's text as terms: one digits term when the text is a phone number
 * ("+1 (555) 123-4567" -> "15551234567"), else its normalised runs of letters and of digits as
 * stored words are cut (searchWords), each of which must match: "j.smith@initech" is j, smith and
 * initech. A single letter or digit (the "j") is matched exactly: as a prefix it would match a
 * large part of the tenant. Text with no letters or digits matches only itself.
 */
export function searchTerms(q: string): SearchTerm[] {
  const digits = phoneDigits(q);
  if (PHONE_LIKE.test(q.trim()) && digits.length >= 3) return [{ kind: 'digits', text: digits }];
  const text = textKey(q);
  const runs = [...new Set(wordRuns(text))];
  if (runs.length === 0) return [{ kind: 'exact', text }];
  return runs.slice(0, MAX_TERMS).map((run) => ({ kind: [...run].length === 1 ? 'exact' : 'word', text: run }));
}

/** The term's one-letter deletions, for terms of 3 to 8 letters (typoKeysSql makes the words' keys). */
function deletions(term: string): string[] {
  const chars = [...term];
  if (chars.length < 3 || chars.length > 8 || !/^\p{L}+$/u.test(term)) return [];
  return [...new Set(chars.map((_, i) => [...chars.slice(0, i), ...chars.slice(i + 1)].join('')))];
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The tenant's vocabulary words that match a term, with their scores (columns word, score). A
 * word matches when it contains the term (starts with it, for terms of up to three letters:
 * "ann" is inside too many words), when the term makes up 60% of its trigrams (`<%`, word
 * similarity at its default threshold, no session setting: a long word with a typo), or, for
 * terms of 4 to 8 letters, when it is one typo away: they share a typo key
 * (search_word.typo_keys: "jhon" and "john" share "jon"), or the word is the term with a letter
 * left out. A term of three letters only finds the words it misses a letter of ("jon" -> "john"):
 * a changed letter would take "ann" to "and", which is in half the company names. Each of these
 * is an index condition (trigram GIN, typo keys GIN, primary key) on short words, not on whole
 * records. The score is the word's trigram similarity to the term (below 1 unless it is the term). The term itself comes too,
 * with score 1: looked up in the links directly, an exact word is found even if missing from the
 * vocabulary (see replaceContactSearchWords).
 */
export function matchingWords(q: QueryCreator<DB>, tenantId: string, term: SearchTerm) {
  const exact = q.selectNoFrom([sql<string>`${term.text}::text`.as('word'), sql<number>`1::real`.as('score')]);
  if (term.kind === 'exact') return exact;
  const pattern = [...term.text].length > 3 || term.kind === 'digits' ? `%${escapeLike(term.text)}%` : `${escapeLike(term.text)}%`;
  const shorter = term.kind === 'word' ? deletions(term.text) : [];
  return exact.union(
    q
      .selectFrom('search_word as v')
      .select(['v.word', sql<number>`CASE WHEN v.word = ${term.text} THEN 1 ELSE least(similarity(v.word, ${term.text}), 0.9999) END::real`.as('score')])
      .where('v.tenant_id', '=', tenantId)
      .where((eb) => {
        const conditions: Expression<SqlBool>[] = [eb('v.word', 'like', pattern)];
        // Letters only: a digit run is a part of a number, not a word with a typo.
        if (term.kind === 'word' && /\p{L}/u.test(term.text)) conditions.push(sql<SqlBool>`${term.text} <% v.word`);
        if (shorter.length && [...term.text].length === 3) {
          conditions.push(sql<SqlBool>`v.typo_keys && ${[term.text]}::text[]`);
        } else if (shorter.length) {
          conditions.push(sql<SqlBool>`(v.typo_keys && ${[term.text, ...shorter]}::text[] OR v.word = ANY(${shorter}::text[]))`);
        }
        return eb.or(conditions);
      }),
  );
}
