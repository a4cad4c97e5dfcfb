import type { ContractIssue } from '@crm/contracts';

export type CustomFieldValues = Record<string, string | number | boolean | null>;

/** What a tenant's definition says of one field's values (contacts' custom fields, tickets' fields). */
export interface CustomFieldRule {
  key: string;
  /** text | number | date | boolean | select (CUSTOM_FIELD_TYPES). */
  type: string;
  options: string[];
  required: boolean;
}

export interface AppliedCustomFields {
  values: CustomFieldValues;
  issues: ContractIssue[];
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * `current` with `patch` applied (a null clears a key) and every problem at once, each named by its
 * path in the request (`<path>.<key>`): keys the tenant defines, values of the defined type, select
 * values among the options. `requireAll`: every required field must then hold a value; otherwise a
 * required field may only not be cleared.
 */
export function applyCustomFieldValues(
  rules: CustomFieldRule[],
  path: string,
  patch: CustomFieldValues | undefined,
  current: CustomFieldValues = {},
  { requireAll = false } = {},
): AppliedCustomFields {
  const byKey = new Map(rules.map((r) => [r.key, r]));
  const issues: ContractIssue[] = [];
  const values: CustomFieldValues = { ...current };
  for (const [key, value] of Object.entries(patch ?? {})) {
    const field = `${path}.${key}`;
    const rule = byKey.get(key);
    if (!rule) {
      issues.push({ path: field, message: 'no such custom field' });
      continue;
    }
    if (value === null) {
      if (rule.required) issues.push({ path: field, message: 'is required' });
      delete values[key];
      continue;
    }
    const problem = checkValue(rule, value);
    if (problem) issues.push({ path: field, message: problem });
    else values[key] = value;
  }
  if (requireAll) {
    for (const rule of rules) {
      if (rule.required && values[rule.key] === undefined && !(patch && rule.key in patch)) issues.push({ path: `${path}.${rule.key}`, message: 'is required' });
    }
  }
  return { values, issues };
}

function checkValue(rule: CustomFieldRule, value: string | number | boolean): string | undefined {
  switch (rule.type) {
    case 'text':
      return typeof value === 'string' ? undefined : 'must be text';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'must be a number';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'date':
      return typeof value === 'string' && isCalendarDate(value) ? undefined : 'must be a date (YYYY-MM-DD)';
    case 'select':
      return typeof value === 'string' && rule.options.includes(value) ? undefined : `must be one of: ${rule.options.join(', ')}`;
    default:
      return `has an unknown type ${rule.type}`;
  }
}

function isCalendarDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().startsWith(value);
}
