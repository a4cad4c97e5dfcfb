import type { Selectable } from 'kysely';
import type { LeadForm } from '@crm/contracts';
import type { LeadForm as LeadFormTable } from '../generated/kysely/database';

export type LeadFormRow = Selectable<LeadFormTable>;

const iso = (value: Date | string) => new Date(value).toISOString();

export function toLeadForm(row: LeadFormRow): LeadForm {
  return {
    id: row.id,
    formKey: row.form_key,
    name: row.name,
    allowedOrigins: row.allowed_origins,
    campaignId: row.campaign_id,
    ownerId: row.owner_id,
    active: row.active,
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}
