import type { CustomFieldDefinition } from '@crm/contracts';
import type { CustomFieldRow } from './custom-field.repository';

export function toCustomFieldDefinition(row: CustomFieldRow): CustomFieldDefinition {
  return {
    id: row.id,
    entity: row.entity as CustomFieldDefinition['entity'],
    key: row.key,
    label: row.label,
    type: row.type as CustomFieldDefinition['type'],
    options: row.options,
    required: row.required,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
