import { createHash } from 'node:crypto';

const names = new Map<string, string>();

/**
 * The name a statement text is prepared under on each connection: `q.<sha1 of the text>`,
 * remembered, so one text always gets one name. Postgres then parses and plans a statement once
 * per connection instead of on every call (planning a keyset list unprepared cost 1.4-9 ms of
 * Postgres CPU here, more than running it). Values are parameters, so the texts are few.
 */
export function statementName(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `q.${createHash('sha1').update(text).digest('base64url')}`;
    names.set(text, name);
  }
  return name;
}

/**
 * Statements with more parameters than this run unnamed. Their texts vary with a list's length
 * (`IN ($1, …, $n)`, multi-row VALUES): named, each length would stay prepared on every
 * connection, and its text in the map above, for the life of the process.
 */
export const MAX_NAMED_STATEMENT_PARAMETERS = 64;

/** The name to prepare a statement under, or none for one with a list's worth of parameters. */
export function preparedStatementName(text: string, parameterCount: number): string | undefined {
  return parameterCount > MAX_NAMED_STATEMENT_PARAMETERS ? undefined : statementName(text);
}
