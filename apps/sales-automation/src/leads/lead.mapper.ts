import type { Selectable } from 'kysely';
import type { Lead } from '@crm/contracts';
import type { Lead as LeadTable } from '../generated/kysely/database';

export type LeadRow = Selectable<LeadTable>;

const iso = (value: Date | string) => new Date(value).toISOString();

/** A row as replies and events carry it. */
export function toLead(row: LeadRow): Lead {
  return {
    id: row.id,
    firstName: row.first_name,
    lastName: row.last_name,
    companyName: row.company_name,
    email: row.email,
    phone: row.phone,
    message: row.message,
    source: row.source as Lead['source'],
    campaignId: row.campaign_id,
    formId: row.form_id,
    status: row.status as Lead['status'],
    disqualifiedReason: row.disqualified_reason,
    ownerId: row.owner_id,
    score: row.score,
    convertedContactId: row.converted_contact_id,
    convertedCompanyId: row.converted_company_id,
    convertedDealId: row.converted_deal_id,
    convertedAt: row.converted_at ? iso(row.converted_at) : null,
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}
