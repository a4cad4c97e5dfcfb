import { unstorableTextIssues } from '@crm/contracts';
import type { ParseOptions, ParsedRow } from './row-parser';

const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);

/**
 * A source row (CSV columns, NDJSON properties) → its external id and the object's fields: the
 * external id column is taken out, the others renamed by the column mapping (a dotted target
 * builds nested fields: `emails.0.address` → `{ emails: [{ address }] }`; an empty target drops
 * the column; a `:number`, `:integer`, `:boolean`, `:json` or `:list` suffix converts a text cell:
 * `{ "Price": "unitPrice:number", "Tags": "tags:list" }`, a list being split on ";"). `skipEmpty`:
 * an empty cell is an absent field (CSV), not an empty string.
 */
export function mapRow(line: number, source: Record<string, unknown>, options: ParseOptions, skipEmpty = false): ParsedRow {
  const rawId = source[options.externalIdField];
  const externalId = typeof rawId === 'string' ? rawId.trim() : typeof rawId === 'number' ? String(rawId) : '';
  if (!externalId) return { line, error: `no external id (${options.externalIdField})` };
  if (externalId.length > 200) return { line, error: 'the external id is longer than 200 characters' };
  // Text Postgres cannot store (U+0000, an unpaired surrogate) fails its row here, not the upload's batch.
  const unstorable = unstorableTextIssues(source)[0];
  if (unstorable) {
    const error = `column ${unstorable.path}: ${unstorable.message}`;
    return unstorable.path === options.externalIdField ? { line, error } : { line, externalId, error };
  }
  const record: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(source)) {
    if (column === options.externalIdField || value === undefined) continue;
    if (skipEmpty && value === '') continue;
    const mapped = options.columnMapping[column] ?? column;
    if (mapped === '') continue;
    const [target, type] = splitType(mapped);
    const typed = type ? convert(value, type) : { value };
    if ('error' in typed) return { line, externalId, error: `column ${column}: ${typed.error}` };
    const problem = setPath(record, target, typed.value);
    if (problem) return { line, externalId, error: `column ${column}: ${problem}` };
  }
  return { line, externalId, record };
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): string | undefined {
  const segments = path.split('.');
  if (segments.some((segment) => segment === '' || FORBIDDEN_SEGMENTS.has(segment))) return `invalid field name "${path}"`;
  let node: Record<string, unknown> | unknown[] = target;
  for (let i = 0; i < segments.length - 1; i++) {
    const key = segments[i];
    const nextIsIndex = /^\d+$/.test(segments[i + 1]);
    const index = Array.isArray(node) ? Number(key) : undefined;
    if (Array.isArray(node) && (!/^\d+$/.test(key) || (index as number) > 100)) return `invalid field name "${path}"`;
    const current: unknown = Array.isArray(node) ? node[index as number] : node[key];
    let child: unknown = current;
    if (child === undefined) {
      child = nextIsIndex ? [] : {};
      if (Array.isArray(node)) node[index as number] = child;
      else node[key] = child;
    } else if (typeof child !== 'object' || child === null) {
      return `"${path}" conflicts with another column`;
    }
    node = child as Record<string, unknown> | unknown[];
  }
  const last = segments[segments.length - 1];
  if (Array.isArray(node)) {
    if (!/^\d+$/.test(last) || Number(last) > 100) return `invalid field name "${path}"`;
    node[Number(last)] = value;
  } else {
    node[last] = value;
  }
  return undefined;
}

const TYPES = ['number', 'integer', 'boolean', 'json', 'list'] as const;
type CellType = (typeof TYPES)[number];

function splitType(mapped: string): [string, CellType | undefined] {
  const at = mapped.lastIndexOf(':');
  if (at === -1) return [mapped, undefined];
  const type = mapped.slice(at + 1) as CellType;
  return TYPES.includes(type) ? [mapped.slice(0, at), type] : [mapped, undefined];
}

/** A text cell as the type its mapping names; values already typed (NDJSON) pass as they are. */
function convert(value: unknown, type: CellType): { value: unknown } | { error: string } {
  if (typeof value !== 'string') return { value };
  const text = value.trim();
  switch (type) {
    case 'number':
    case 'integer': {
      const number = Number(text);
      if (text === '' || !Number.isFinite(number) || (type === 'integer' && !Number.isInteger(number)))
        return { error: `"${value}" is not ${type === 'integer' ? 'an integer' : 'a number'}` };
      return { value: number };
    }
    case 'boolean':
      if (/^(true|yes|1)$/i.test(text)) return { value: true };
      if (/^(false|no|0)$/i.test(text)) return { value: false };
      return { error: `"${value}" is not true or false` };
    case 'json':
      try {
        return { value: JSON.parse(text) as unknown };
      } catch {
        return { error: 'not valid JSON' };
      }
    case 'list':
      return {
        value:
          text === ''
            ? []
            : text
                .split(';')
                .map((item) => item.trim())
                .filter(Boolean),
      };
  }
}
