import type { Selection } from 'kysely';
import type { DB } from '../generated/kysely/database';

/** The custom_field_definition table's select projection: a definition as the service reads it. */
export const CUSTOM_FIELD_PROJECTION = [
  'custom_field_definition.id',
  'custom_field_definition.tenant_id as tenantId',
  'custom_field_definition.entity',
  'custom_field_definition.key',
  'custom_field_definition.label',
  'custom_field_definition.type',
  'custom_field_definition.options',
  'custom_field_definition.required',
  'custom_field_definition.version',
  'custom_field_definition.created_at as createdAt',
  'custom_field_definition.updated_at as updatedAt',
] as const;

export type CustomFieldRow = Selection<DB, 'custom_field_definition', (typeof CUSTOM_FIELD_PROJECTION)[number]>;
