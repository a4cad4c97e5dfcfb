import { Prisma } from '../generated/prisma/client';
import { phoneDigits, textKey } from './text-keys';

/**
 * A search box's text as terms: normalised words, or one digits term when the text is a phone
 * number ("+1 (555) 123-4567" -> "15551234567").
 */
export type SearchTerm = { kind: 'word'; text: string } | { kind: 'digits'; text: string };

const PHONE_LIKE = /^\+?[0-9 ().-]+$/;

export function searchTerms(q: string): SearchTerm[] {
  const digits = phoneDigits(q);
  if (PHONE_LIKE.test(q.trim()) && digits.length >= 3) return [{ kind: 'digits', text: digits }];
  return [...new Set(textKey(q).split(' ').filter(Boolean))].slice(0, 8).map((text) => ({ kind: 'word', text }));
}

/** Below this word similarity a row is not even a candidate (set per transaction: see fuzzyThreshold). */
export const CANDIDATE_SIMILARITY = 0.3;
/** A word matches a row when this similar to some part of it... */
export const MATCH_SIMILARITY = 0.5;

/** ...or within this many edits of one of its words ("jhon" -> "john" is two). */
export function maxEdits(word: string): number {
  if (word.length >= 4) return 2;
  if (word.length >= 3) return 1;
  return 0;
}

/** The statement that sets the `<%` operator's threshold for the current transaction. */
export const fuzzyThreshold = Prisma.sql`SELECT set_config('pg_trgm.word_similarity_threshold', ${String(CANDIDATE_SIMILARITY)}, true)`;

/**
 * SQL for a search over `columns` (normalised text columns; their trigram GIN index finds the
 * candidates): `candidate` uses the index (any term close to any column), `match` insists that
 * every term match, `score` ranks (trigram similarity per term, then the closest whole word, plus
 * full-text rank of exact words).
 */
export function searchSql(terms: SearchTerm[], columns: Prisma.Sql[]): { candidate: Prisma.Sql; match: Prisma.Sql; score: Prisma.Sql } {
  const document = Prisma.join(columns, ` || ' ' || `);
  const candidates: Prisma.Sql[] = [];
  const matches: Prisma.Sql[] = [];
  const scores: Prisma.Sql[] = [];
  for (const term of terms) {
    if (term.kind === 'digits') {
      const pattern = `%${term.text}%`;
      candidates.push(Prisma.join(columns.map((c) => Prisma.sql`${c} LIKE ${pattern}`), ' OR '));
      scores.push(Prisma.sql`word_similarity(${term.text}, ${document})`);
      continue;
    }
    candidates.push(Prisma.join(columns.map((c) => Prisma.sql`${term.text} <% ${c}`), ' OR '));
    const similar = Prisma.sql`word_similarity(${term.text}, ${document}) >= ${MATCH_SIMILARITY}::real`;
    const edits = maxEdits(term.text);
    const withinEdits = Prisma.sql`EXISTS (SELECT 1 FROM unnest(string_to_array(${document}, ' ')) AS w(word) WHERE levenshtein_less_equal(w.word, ${term.text}, ${edits}::int) <= ${edits}::int)`;
    matches.push(edits > 0 ? Prisma.sql`(${similar} OR ${withinEdits})` : Prisma.sql`(${similar})`);
    scores.push(Prisma.sql`word_similarity(${term.text}, ${document})`);
    // Ties on word similarity ("jon" is as close to "john" as to "johnny") go to the closest
    // whole word; computed for the matching rows only.
    scores.push(
      Prisma.sql`0.1 * (SELECT coalesce(max(similarity(${term.text}, w.word)), 0) FROM unnest(string_to_array(${document}, ' ')) AS w(word))`,
    );
  }
  const words = terms.filter((t) => t.kind === 'word').map((t) => t.text).join(' ');
  if (words) scores.push(Prisma.sql`ts_rank(to_tsvector('simple', ${document}), plainto_tsquery('simple', ${words}))`);
  return {
    candidate: Prisma.sql`(${Prisma.join(candidates.map((c) => Prisma.sql`(${c})`), ' OR ')})`,
    match: matches.length ? Prisma.join(matches, ' AND ') : Prisma.sql`TRUE`,
    score: Prisma.sql`(${Prisma.join(scores, ' + ')})::float8`,
  };
}
