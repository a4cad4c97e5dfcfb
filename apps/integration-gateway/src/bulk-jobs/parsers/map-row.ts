import type { ParseOptions, ParsedRow } from './row-parser';

const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);

/**
 * A source row (CSV columns, NDJSON properties) → its external id and the object's fields: the
 * external id column is taken out, the others renamed by the column mapping (a dotted target
 * builds nested fields: `emails.0.address` → `{ emails: [{ address }] }`; an empty target drops
 * the column). `skipEmpty`: an empty cell is an absent field (CSV), not an empty string.
 */
export function mapRow(line: number, source: Record<string, unknown>, options: ParseOptions, skipEmpty = false): ParsedRow {
  const rawId = source[options.externalIdField];
  const externalId = typeof rawId === 'string' ? rawId.trim() : typeof rawId === 'number' ? String(rawId) : '';
  if (!externalId) return { line, error: `no external id (${options.externalIdField})` };
  if (externalId.length > 200) return { line, error: 'the external id is longer than 200 characters' };
  const record: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(source)) {
    if (column === options.externalIdField || value === undefined) continue;
    if (skipEmpty && value === '') continue;
    const target = options.columnMapping[column] ?? column;
    if (target === '') continue;
    const problem = setPath(record, target, value);
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
