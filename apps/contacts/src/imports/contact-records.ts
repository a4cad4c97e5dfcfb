import type { RecordColumns } from '@crm/service-kit';
import type { DB } from '../generated/kysely/database';
import { childRows, contactInsert, newContactRow, type ContactWrite } from '../contacts/contact.table';

/**
 * The columns contactInsert sets, with their types, for inserting a batch with insertRecords
 * (its JSON columns come as JSON text: `text::jsonb`). Next to the contact table module's
 * builder, which owns the columns; imports.spec checks the two agree.
 */
export const CONTACT_RECORD_COLUMNS = {
  id: 'uuid',
  tenant_id: 'text',
  created_at: 'timestamptz',
  updated_at: 'timestamptz',
  version: 'int',
  first_name: 'text',
  last_name: 'text',
  sort_last_name: 'text',
  title: 'text',
  addresses: 'text::jsonb',
  company_id: 'uuid',
  owner_id: 'uuid',
  tags: 'text[]',
  lifecycle_stage: 'text',
  custom_fields: 'text::jsonb',
  email_list: 'text::jsonb',
  phone_list: 'text::jsonb',
} as const satisfies RecordColumns<DB['contact']>;

/** A new contact of a batch: its record (the contact table module's), its child rows, and the row a read would give (not read back). */
export function newContact(tenantId: string, id: string, data: ContactWrite, now: Date) {
  const children = childRows(tenantId, id, data);
  const record = contactInsert({ id, tenantId, createdAt: now }, data, children);
  const row = newContactRow({ id, tenantId, createdAt: now }, data, children);
  return { record, row };
}
