import { Injectable } from '@nestjs/common';
import type { ContractIssue } from '@crm/contracts';
import { validationFailed } from '../shared/errors';
import { CustomFieldEntity, CustomFieldRepository, CustomFieldRow } from './custom-field.repository';

export type CustomFieldValues = Record<string, string | number | boolean | null>;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Checks the `customFields` of a contact or company against the tenant's definitions: known
 * keys, values of the defined type, select values among the options, required fields present.
 * Every problem is reported at once, each named by its path in the request (`contact.customFields.<key>`).
 */
@Injectable()
export class CustomFieldValuesValidator {
  constructor(private readonly definitions: CustomFieldRepository) {}

  /**
   * The values to store: `current` with `patch` applied (a null clears a key). On create
   * (`current` undefined) required fields must be there; on update they must not be cleared.
   * `path` names the values in the request (`contact.customFields`, `patch.customFields`).
   */
  async apply(
    tenantId: string,
    entity: CustomFieldEntity,
    path: string,
    patch: CustomFieldValues | undefined,
    current?: CustomFieldValues,
  ): Promise<CustomFieldValues> {
    const creating = current === undefined;
    if (!creating && patch === undefined) return current;
    const definitions = new Map((await this.definitions.list(tenantId, entity)).map((d) => [d.key, d]));
    const issues: ContractIssue[] = [];
    const result: CustomFieldValues = { ...current };
    for (const [key, value] of Object.entries(patch ?? {})) {
      const field = `${path}.${key}`;
      const definition = definitions.get(key);
      if (!definition) {
        issues.push({ path: field, message: 'no such custom field' });
        continue;
      }
      if (value === null) {
        if (definition.required) issues.push({ path: field, message: 'is required' });
        delete result[key];
        continue;
      }
      const problem = checkValue(definition, value);
      if (problem) issues.push({ path: field, message: problem });
      else result[key] = value;
    }
    if (creating) {
      for (const definition of definitions.values()) {
        if (definition.required && result[definition.key] === undefined && !(patch && definition.key in patch)) {
          issues.push({ path: `${path}.${definition.key}`, message: 'is required' });
        }
      }
    }
    if (issues.length) throw validationFailed(issues);
    return result;
  }
}

function checkValue(definition: CustomFieldRow, value: string | number | boolean): string | undefined {
  switch (definition.type) {
    case 'text':
      return typeof value === 'string' ? undefined : 'must be text';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'must be a number';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'date':
      return typeof value === 'string' && isCalendarDate(value) ? undefined : 'must be a date (YYYY-MM-DD)';
    case 'select':
      return typeof value === 'string' && definition.options.includes(value) ? undefined : `must be one of: ${definition.options.join(', ')}`;
    default:
      return `has an unknown type ${definition.type}`;
  }
}

function isCalendarDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().startsWith(value);
}
