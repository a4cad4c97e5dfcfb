import type { Company } from '@crm/contracts';
import type { CompanyRow } from './company.table';

/** A stored company in the contract's shape (ISO times, nulls for absent values). */
export function toCompany(row: CompanyRow): Company {
  return {
    id: row.id,
    name: row.name,
    domain: row.domain,
    industry: row.industry,
    phones: row.phones as Company['phones'],
    addresses: row.addresses as Company['addresses'],
    ownerId: row.ownerId,
    tags: row.tags,
    customFields: row.customFields as Company['customFields'],
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    deletedAt: row.deletedAt?.toISOString() ?? null,
  };
}
