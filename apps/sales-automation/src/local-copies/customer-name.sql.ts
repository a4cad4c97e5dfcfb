import { RawBuilder, sql } from 'kysely';

/** A contact's "first last" from a row with first_name and last_name (null when both are empty). */
export const contactNameOf = (table: string) =>
  sql<string | null>`nullif(concat_ws(' ', ${sql.ref(`${table}.first_name`)}, ${sql.ref(`${table}.last_name`)}), '')`;

/** The contact's part, as its copy holds it now. */
const contactNameOfDeal = sql<string | null>`(select ${contactNameOf('c')} from contact_copy c
    where c.tenant_id = deal.tenant_id and c.id = deal.contact_id and c.erased_at is null)`;

const companyNameOfDeal = sql<string | null>`(select co.name from company_copy co
    where co.tenant_id = deal.tenant_id and co.id = deal.company_id and co.deleted_at is null)`;

/**
 * A deal's customer name from the copies: the contact's "first last", then the company's name
 * (as h-deals' CustomerNames composes it on create); null when neither is known. An erased
 * contact's name is gone, a deleted company's too. Used in `UPDATE deal` statements; a statement
 * that has just written the contact's copy passes `contactNameOf` of that row (its own subqueries
 * cannot see the write yet).
 */
export function customerNameOfDeal(contactName: RawBuilder<string | null> = contactNameOfDeal): RawBuilder<string | null> {
  return sql<string | null>`nullif(concat_ws(', ', ${contactName}, ${companyNameOfDeal}), '')`;
}
