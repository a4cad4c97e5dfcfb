import { randomUUID } from 'node:crypto';
import type { RecordColumns } from '@crm/service-kit';
import { type Insertable, type Selection, sql, type Updateable } from 'kysely';
import type { DB } from '../generated/kysely/database';
import { textKey } from '../shared/text-keys';

/** A company's stored state as the service decides it (derived keys are the table module's business). */
export interface CompanyWrite {
  name: string;
  domain: string | null;
  industry: string | null;
  phones: { number: string; label?: string; primary: boolean }[];
  addresses: object[];
  ownerId: string | null;
  tags: string[];
  customFields: Record<string, unknown>;
}

/** The company table's select projection: a stored company as the service reads it (the mapper makes it a contract Company). */
export const COMPANY_PROJECTION = [
  'company.id',
  'company.tenant_id as tenantId',
  'company.name',
  'company.sort_name as sortName',
  'company.domain',
  'company.industry',
  'company.phones',
  'company.addresses',
  'company.owner_id as ownerId',
  'company.tags',
  'company.custom_fields as customFields',
  'company.version',
  'company.created_at as createdAt',
  'company.updated_at as updatedAt',
  'company.deleted_at as deletedAt',
] as const;

export type CompanyRow = Selection<DB, 'company', (typeof COMPANY_PROJECTION)[number]>;

/** The columns a new company's record sets, with their types (insertRecords). */
export const COMPANY_RECORD_COLUMNS = {
  id: 'uuid',
  tenant_id: 'text',
  name: 'text',
  sort_name: 'text',
  domain: 'text',
  industry: 'text',
  phones: 'jsonb',
  addresses: 'jsonb',
  owner_id: 'uuid',
  tags: 'text[]',
  custom_fields: 'jsonb',
  version: 'int',
  created_at: 'timestamptz',
  updated_at: 'timestamptz',
} as const satisfies RecordColumns<DB['company']>;

/** A new company's row, id, version and times included: create and import insert these (insertRecords). */
export function companyRecord(tenantId: string, write: CompanyWrite, now: Date) {
  return {
    id: randomUUID(),
    tenant_id: tenantId,
    name: write.name,
    sort_name: textKey(write.name),
    domain: write.domain,
    industry: write.industry,
    phones: write.phones,
    addresses: write.addresses,
    owner_id: write.ownerId,
    tags: write.tags,
    custom_fields: write.customFields,
    version: 1,
    created_at: now,
    updated_at: now,
  } satisfies Insertable<DB['company']> & Record<keyof typeof COMPANY_RECORD_COLUMNS, unknown>;
}

/** What the projection reads of a record just inserted: an import batch is not read back. */
export function insertedCompany(record: ReturnType<typeof companyRecord>): CompanyRow {
  return {
    id: record.id,
    tenantId: record.tenant_id,
    name: record.name,
    sortName: record.sort_name,
    domain: record.domain,
    industry: record.industry,
    phones: record.phones,
    addresses: record.addresses,
    ownerId: record.owner_id,
    tags: record.tags,
    customFields: record.custom_fields,
    version: record.version,
    createdAt: record.created_at,
    updatedAt: record.updated_at,
    deletedAt: null,
  };
}

/** The columns a (partial) change sets; jsonb values travel as JSON text, cast. */
export function companyChanges(write: Partial<CompanyWrite>): Updateable<DB['company']> {
  return {
    ...(write.name !== undefined && { name: write.name, sort_name: textKey(write.name) }),
    ...(write.domain !== undefined && { domain: write.domain }),
    ...(write.industry !== undefined && { industry: write.industry }),
    ...(write.phones !== undefined && { phones: jsonb(write.phones) }),
    ...(write.addresses !== undefined && { addresses: jsonb(write.addresses) }),
    ...(write.ownerId !== undefined && { owner_id: write.ownerId }),
    ...(write.tags !== undefined && { tags: write.tags }),
    ...(write.customFields !== undefined && { custom_fields: jsonb(write.customFields) }),
  };
}

/** A jsonb value as a parameter: pg would send a JS array as a Postgres array, not as JSON. */
const jsonb = (value: unknown) => sql<unknown>`${JSON.stringify(value)}::jsonb`;
