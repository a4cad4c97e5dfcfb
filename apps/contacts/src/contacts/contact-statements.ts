import type { PreparedStatement } from '../infrastructure/database/prepared-statements';

/** A contact row (alias `c`) in the shape of the Prisma model (ContactRow), emails and phones in order. */
export const CONTACT_SELECT = `c.id, c.tenant_id AS "tenantId", c.first_name AS "firstName", c.last_name AS "lastName",
      c.sort_last_name AS "sortLastName", c.title, c.addresses, c.company_id AS "companyId", c.owner_id AS "ownerId",
      c.tags, c.lifecycle_stage AS "lifecycleStage", c.custom_fields AS "customFields", c.search_text AS "searchText",
      c.company_search_text AS "companySearchText", c.version, c.created_at AS "createdAt", c.updated_at AS "updatedAt",
      c.deleted_at AS "deletedAt", c.erased_at AS "erasedAt",
      c.email_list AS emails, c.phone_list AS phones`;

/**
 * A contact of a tenant by id ($1 tenant, $2 uuid); erased ones never. One id, not `= ANY($2)`:
 * for an array Postgres never trusts the cached generic plan and plans each call anew, which cost
 * ~0.25 ms of its CPU per read here (several times the primary-key read itself).
 */
export const FIND_CONTACT: PreparedStatement = {
  name: 'contacts.find-by-id.v2',
  text: `SELECT ${CONTACT_SELECT}
    FROM contact c
    WHERE c.tenant_id = $1 AND c.id = $2::uuid AND c.erased_at IS NULL`,
};

/** Contact fields a write sets: the column and the cast its parameter needs. */
const WRITABLE_COLUMNS: Record<string, [column: string, cast: string]> = {
  firstName: ['first_name', 'text'],
  lastName: ['last_name', 'text'],
  sortLastName: ['sort_last_name', 'text'],
  title: ['title', 'text'],
  addresses: ['addresses', 'jsonb'],
  companyId: ['company_id', 'uuid'],
  ownerId: ['owner_id', 'uuid'],
  tags: ['tags', 'text[]'],
  lifecycleStage: ['lifecycle_stage', 'text'],
  customFields: ['custom_fields', 'jsonb'],
  searchText: ['search_text', 'text'],
  companySearchText: ['company_search_text', 'text'],
  deletedAt: ['deleted_at', 'timestamptz'],
  emailList: ['email_list', 'jsonb'],
  phoneList: ['phone_list', 'jsonb'],
};

/** Columns and parameters for a write of `fields` ($1.. taken by the statement's own first parameters). */
export function contactColumns(fields: Record<string, unknown>, firstParameter: number): { columns: string[]; placeholders: string[]; values: unknown[] } {
  const columns: string[] = [];
  const placeholders: string[] = [];
  const values: unknown[] = [];
  for (const [field, value] of Object.entries(fields)) {
    const writable = WRITABLE_COLUMNS[field];
    if (!writable) throw new Error(`contact field ${field} has no column mapping`);
    const [column, cast] = writable;
    columns.push(column);
    placeholders.push(`$${firstParameter + values.length}::${cast}`);
    values.push(cast === 'jsonb' && value !== null && value !== undefined ? JSON.stringify(value) : value);
  }
  return { columns, placeholders, values };
}

export const DELETE_CONTACT_CHILDREN = `WITH emails AS (DELETE FROM contact_email WHERE contact_id = $1::uuid)
  DELETE FROM contact_phone WHERE contact_id = $1::uuid`;

/**
 * CTEs that insert a contact's emails and phones from JSON arrays of rows shaped as
 * ContactRow's (ids included); the caller names the parameters holding each value.
 */
export function contactChildrenCtes(p: { contactId: string; tenantId: string; emails: string; phones: string }): string[] {
  return [
    `new_emails AS (INSERT INTO contact_email (id, tenant_id, contact_id, position, address, address_key, label, "primary")
       SELECT e.id, ${p.tenantId}, ${p.contactId}::uuid, e.position, e.address, e."addressKey", e.label, e."primary"
         FROM jsonb_to_recordset(${p.emails}::jsonb) AS e(id uuid, position int, address text, "addressKey" text, label text, "primary" boolean))`,
    `new_phones AS (INSERT INTO contact_phone (id, tenant_id, contact_id, position, number, digits, label, "primary")
       SELECT p.id, ${p.tenantId}, ${p.contactId}::uuid, p.position, p.number, p.digits, p.label, p."primary"
         FROM jsonb_to_recordset(${p.phones}::jsonb) AS p(id uuid, position int, number text, digits text, label text, "primary" boolean))`,
  ];
}
