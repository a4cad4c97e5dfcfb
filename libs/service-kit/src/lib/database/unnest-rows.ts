import { AliasedRawBuilder, RawBuilder, sql } from 'kysely';

/** The Postgres types a column of unnested rows is cast to. */
export type UnnestType = 'text' | 'uuid' | 'integer' | 'boolean' | 'timestamptz' | 'date' | 'jsonb';

type Cell = string | number | boolean | Date | null | object;

/**
 * Rows as a table of the query (`FROM unnest(...) AS alias`), for set-based writes: one array
 * parameter per column whatever the number of rows, so a bulk upsert of 1 or 500 rows is one
 * statement with one text (planned once), where a multi-row VALUES would bind rows × columns
 * parameters under a new text per size. Values go as text arrays and are cast per column (Dates
 * as ISO strings, objects as JSON), which the pg pool and Prisma's raw path send alike.
 *
 *   db.insertInto('t').columns(['id', 'n']).expression((eb) => eb.selectFrom(unnestRows(rows, { id: 'uuid', n: 'integer' }, 'r')).selectAll())
 */
export function unnestRows<Row extends { [K in keyof Row]: Cell }, A extends string>(
  rows: readonly Row[],
  types: { [K in keyof Row]: UnnestType },
  alias: A,
): AliasedRawBuilder<Row, A> {
  const columns = Object.keys(types) as (keyof Row & string)[];
  return unnestColumns<Row, A>(columns, columnsAsText(rows, types), types, alias);
}

/**
 * unnestRows with each column's text array given as one value: for a query built once
 * (PreparedQuery), whose column arrays are `slot`s filled at run time by columnsAsText.
 */
export function unnestColumns<Row, A extends string>(
  columns: readonly (keyof Row & string)[],
  arrays: readonly unknown[],
  types: { [K in keyof Row]: UnnestType },
  alias: A,
): AliasedRawBuilder<Row, A> {
  const texts = arrays.map((array) => sql`${array}::text[]`);
  const casts = columns.map((column) => sql`${sql.ref(`${alias}.${column}`)}::${sql.raw(types[column])} AS ${sql.id(column)}`);
  return sql<Row>`(SELECT ${sql.join(casts)} FROM unnest(${sql.join(texts)}) AS ${sql.id(alias)}(${sql.join(columns.map((c) => sql.id(c)))}))`.as(alias);
}

/** The rows' columns as text arrays, in the order of `types`' keys: what unnestRows sends. */
export function columnsAsText<Row extends { [K in keyof Row]: Cell }>(rows: readonly Row[], types: { [K in keyof Row]: UnnestType }): (string | null)[][] {
  return (Object.keys(types) as (keyof Row & string)[]).map((column) => rows.map((row) => asText(row[column])));
}

/**
 * Values as one array parameter, for `eb.fn.any(arrayOf(ids, 'uuid'))`: one statement text
 * whatever their number (an `in` list has a text per length). Sent as text, cast like unnestRows.
 */
export function arrayOf<T extends Cell>(values: readonly T[], type: UnnestType): RawBuilder<T[]> {
  return sql<T[]>`${values.map(asText)}::text[]::${sql.raw(type)}[]`;
}

function asText(value: Cell): string | null {
  if (value === null) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
