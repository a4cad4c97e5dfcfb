import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { Injectable } from '@nestjs/common';
import {
  Company,
  companyCreated,
  companyInputSchema,
  ExternalItemResult,
  RpcRequest,
  RpcResponse,
  upsertCompaniesByExternalId,
} from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { CompanyInput, companyWrite } from '../../companies/company-input';
import { toCompany } from '../../companies/company.mapper';
import { CompanyLookup } from '../../companies/company-lookup';
import { UpdateCompanyService } from '../../companies/update-company/update-company.service';
import { IMPORT_TRANSACTION, ImportAdapter } from '../../imports/import-batch';
import { ImportCustomFields } from '../../imports/import-custom-fields';
import { ImportsRepository } from '../../imports/imports.repository';
import { ExternalRefRepository } from '../external-ref.repository';
import { failed, invalidRecord, itemIssues, outcome, REPEATED, repeatedInBatch } from '../external-items';

const patchSchema = companyInputSchema.partial();

/**
 * Companies by (system, external id), as contacts are (see UpsertContactsExternalService): new ones
 * inserted together, known ones updated only when a field changes, CRM-owned fields kept.
 */
@Injectable()
export class UpsertCompaniesExternalService {
  constructor(
    private readonly refs: ExternalRefRepository,
    private readonly imports: ImportsRepository,
    private readonly lookup: CompanyLookup,
    private readonly customFields: ImportCustomFields,
    private readonly updates: UpdateCompanyService,
    private readonly events: EventPublisher,
  ) {}

  @Transactional<ImportAdapter>(IMPORT_TRANSACTION)
  async upsert(tenantId: string, { system, crmOwnedFields, items }: RpcRequest<typeof upsertCompaniesByExternalId>): Promise<RpcResponse<typeof upsertCompaniesByExternalId>> {
    const results: ExternalItemResult[] = new Array(items.length);
    const repeated = repeatedInBatch(items);
    const parsed: { index: number; item: (typeof items)[number]; patch: Partial<CompanyInput> }[] = [];
    items.forEach((item, index) => {
      const patch = patchSchema.safeParse(item.record);
      if (repeated.has(index)) results[index] = failed(item, REPEATED(item.externalId));
      else if (!patch.success) results[index] = failed(item, invalidRecord(patch.error));
      else parsed.push({ index, item, patch: patch.data });
    });
    const known = await this.refs.resolve(tenantId, 'company', system, parsed.map((p) => p.item.externalId));

    // New companies: checked as a create is, inserted together.
    const fresh: { p: (typeof parsed)[number]; input: CompanyInput; id: string }[] = [];
    for (const p of parsed) {
      if (known.get(p.item.externalId)?.live) continue;
      const input = companyInputSchema.safeParse(p.patch);
      if (input.success) fresh.push({ p, input: input.data, id: randomUUID() });
      else results[p.index] = failed(p.item, invalidRecord(input.error));
    }
    const { values, issues } = await this.customFields.applyAll(tenantId, 'company', 'companies', fresh.map((f) => f.input.customFields));
    const writable = fresh.filter((f, i) => {
      const problem = itemIssues(issues, 'companies', i);
      if (problem) results[f.p.index] = failed(f.p.item, problem);
      return !problem;
    });
    const claimed = await this.refs.claim(tenantId, 'company', system, writable.map((f) => ({ externalId: f.p.item.externalId, recordId: f.id })), [...known.values()].map((r) => r.recordId));
    const mine = writable.filter((f) => claimed.has(f.p.item.externalId));
    const rows = await this.imports.insertCompanies(
      tenantId,
      mine.map((f) => ({ domain: null, industry: null, phones: [], addresses: [], ownerId: null, tags: [], ...companyWrite(f.input), name: f.input.name, customFields: values[fresh.indexOf(f)] })),
      mine.map((f) => f.id),
    );
    await this.events.publishMany(
      companyCreated,
      rows.map((row) => {
        const company = toCompany(row);
        return { data: { company }, meta: { tenantId, subject: company.id, entityVersion: company.version } };
      }),
    );
    rows.forEach((row, i) => (results[mine[i].p.index] = outcome(mine[i].p.item, { outcome: 'created', id: row.id })));

    // Known companies (and those a concurrent batch created meanwhile).
    const raced = writable.filter((f) => !claimed.has(f.p.item.externalId)).map((f) => f.p);
    const again = raced.length ? await this.refs.resolve(tenantId, 'company', system, raced.map((p) => p.item.externalId)) : new Map();
    const existing = [...parsed.filter((p) => known.get(p.item.externalId)?.live), ...raced];
    const crmOwned = new Set(crmOwnedFields);
    for (const p of existing) {
      const id = (known.get(p.item.externalId)?.live ? known : again).get(p.item.externalId)!.recordId;
      try {
        const before = toCompany(await this.lookup.live(tenantId, id));
        const { patch, conflicts } = ownedKept(before, p.patch, crmOwned);
        const withConflicts = conflicts.length ? { conflicts } : {};
        if (!changes(before, patch)) results[p.index] = outcome(p.item, { outcome: 'unchanged', id, ...withConflicts });
        else {
          await this.updates.update(tenantId, { id, patch });
          results[p.index] = outcome(p.item, { outcome: 'updated', id, ...withConflicts });
        }
      } catch (error) {
        results[p.index] = failed(p.item, error);
      }
    }
    return { results };
  }
}

/** The patch without the CRM-owned fields, and those of them whose incoming value differs. */
function ownedKept(before: Company, patch: Partial<CompanyInput>, crmOwned: Set<string>) {
  const kept: Partial<CompanyInput> = {};
  const conflicts: { field: string; incoming: unknown }[] = [];
  for (const [field, value] of Object.entries(patch)) {
    if (!crmOwned.has(field)) (kept as Record<string, unknown>)[field] = value;
    else if (changes(before, { [field]: value })) conflicts.push({ field, incoming: value });
  }
  return { patch: kept, conflicts };
}

/** Whether applying `patch` changes any stored field (compared in the stored form; custom fields merge). */
function changes(before: Company, patch: Partial<CompanyInput>): boolean {
  const write = companyWrite(patch) as Record<string, unknown>;
  const current = before as unknown as Record<string, unknown>;
  if (Object.entries(write).some(([field, value]) => !isDeepStrictEqual(value, current[field]))) return true;
  return Object.entries(patch.customFields ?? {}).some(([key, value]) => !isDeepStrictEqual(value, before.customFields[key] ?? null));
}
