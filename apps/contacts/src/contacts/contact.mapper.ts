import type { Contact } from '@crm/contracts';
import type { ContactRow } from './contact.repository';

/** A stored contact in the contract's shape (ISO times, nulls for absent values, labels only when set). */
export function toContact(row: ContactRow): Contact {
  return {
    id: row.id,
    firstName: row.firstName,
    lastName: row.lastName,
    title: row.title,
    emails: row.emails.map((e) => ({ address: e.address, ...(e.label !== null && { label: e.label }), primary: e.primary })),
    phones: row.phones.map((p) => ({ number: p.number, ...(p.label !== null && { label: p.label }), primary: p.primary })),
    addresses: row.addresses as Contact['addresses'],
    companyId: row.companyId,
    ownerId: row.ownerId,
    tags: row.tags,
    lifecycleStage: row.lifecycleStage as Contact['lifecycleStage'],
    customFields: row.customFields as Contact['customFields'],
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    deletedAt: row.deletedAt?.toISOString() ?? null,
  };
}
