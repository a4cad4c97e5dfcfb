import type { PreparedStatement } from '../infrastructure/database/prepared-statements';

const emailsJson = `(SELECT coalesce(json_agg(json_build_object(
    'id', e.id, 'tenantId', e.tenant_id, 'contactId', e.contact_id, 'position', e.position, 'address', e.address,
    'addressKey', e.address_key, 'label', e.label, 'primary', e."primary") ORDER BY e.position), '[]'::json)
  FROM contact_email e WHERE e.contact_id = c.id)`;

const phonesJson = `(SELECT coalesce(json_agg(json_build_object(
    'id', p.id, 'tenantId', p.tenant_id, 'contactId', p.contact_id, 'position', p.position, 'number', p.number,
    'digits', p.digits, 'label', p.label, 'primary', p."primary") ORDER BY p.position), '[]'::json)
  FROM contact_phone p WHERE p.contact_id = c.id)`;

/**
 * Contacts of a tenant by id ($1 tenant, $2 uuid[]), with their emails and phones in order, in
 * the shape of the Prisma model (ContactRow); erased ones never.
 */
export const FIND_CONTACTS: PreparedStatement = {
  name: 'contacts.find-by-ids.v1',
  text: `SELECT c.id, c.tenant_id AS "tenantId", c.first_name AS "firstName", c.last_name AS "lastName",
      c.sort_last_name AS "sortLastName", c.title, c.addresses, c.company_id AS "companyId", c.owner_id AS "ownerId",
      c.tags, c.lifecycle_stage AS "lifecycleStage", c.custom_fields AS "customFields", c.search_text AS "searchText",
      c.company_search_text AS "companySearchText", c.version, c.created_at AS "createdAt", c.updated_at AS "updatedAt",
      c.deleted_at AS "deletedAt", c.erased_at AS "erasedAt",
      ${emailsJson} AS emails,
      ${phonesJson} AS phones
    FROM contact c
    WHERE c.tenant_id = $1 AND c.id = ANY($2::uuid[]) AND c.erased_at IS NULL`,
};
