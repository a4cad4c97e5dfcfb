import { isDeepStrictEqual } from 'node:util';
import { Injectable } from '@nestjs/common';
import {
  companyCreated,
  companyInputSchema,
  companyUpdated,
  DomainError,
  ExternalItemResult,
  RpcRequest,
  RpcResponse,
  upsertCompaniesByExternalId,
} from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { CompanyInput, companyWrite } from '../../companies/company-input';
import { toCompany } from '../../companies/company.mapper';
import { CompanyRepository, CompanyRow, CompanyWrite } from '../../companies/company.repository';
import { IMPORT_TRANSACTION, ImportAdapter } from '../../imports/import-batch';
import { ImportsRepository } from '../../imports/imports.repository';
import { changedFields } from '../../shared/changed-fields';
import { ExternalCustomFields, failedResult, ItemFailure, itemResult, parseRecord, REPEATED, repeatedItems, withoutOwnedFields } from '../external-items';
import { ExternalRecordsRepository } from '../external-records.repository';

const updateSchema = companyInputSchema.partial();

/** A stored company as the state a write compares with. */
function currentCompany(row: CompanyRow): CompanyWrite {
  const { name, domain, industry, ownerId, tags } = row;
  return {
    name,
    domain,
    industry,
    phones: row.phones as CompanyWrite['phones'],
    addresses: row.addresses as object[],
    ownerId,
    tags,
    customFields: row.customFields as Record<string, unknown>,
  };
}

/**
 * Companies by (system, external id), a batch in one transaction: refs read at once, each item
 * checked as the single create or update checks it (fails alone), the new ones inserted by the
 * import path in one statement with their refs and one `company.created` each; a known one whose
 * fields differ is updated as PATCH does (one `company.updated`), else `unchanged`. CRM-owned
 * fields as for contacts. Updates are one statement per company (ERP company loads are small;
 * contacts are the bulk path).
 */
@Injectable()
export class UpsertCompaniesExternalService {
  constructor(
    private readonly repository: ExternalRecordsRepository,
    private readonly imports: ImportsRepository,
    private readonly companies: CompanyRepository,
    private readonly customFields: ExternalCustomFields,
    private readonly events: EventPublisher,
  ) {}

  @Transactional<ImportAdapter>(IMPORT_TRANSACTION)
  async upsert(
    tenantId: string,
    { system, crmOwnedFields, items }: RpcRequest<typeof upsertCompaniesByExternalId>,
  ): Promise<RpcResponse<typeof upsertCompaniesByExternalId>> {
    const key = { tenantId, object: 'company' as const, system };
    await this.repository.lockSystem(key);
    const repeated = repeatedItems(items);
    const refs = await this.repository.liveRefs(tenantId, 'company', system, [...new Set(items.map((i) => i.externalId))]);
    const known = await this.repository.liveCompanies(tenantId, [...new Set(refs.values())]);
    const applyCustomFields = await this.customFields.forBatch(tenantId, 'company');
    const results: ExternalItemResult[] = [];
    const creates: { index: number; write: CompanyWrite }[] = [];
    for (const [index, item] of items.entries()) {
      if (repeated.has(index)) {
        results.push(failedResult(item, REPEATED));
        continue;
      }
      const recordId = refs.get(item.externalId);
      const row = recordId !== undefined ? known.get(recordId) : undefined;
      const parsed = parseRecord(row ? updateSchema : companyInputSchema, item.record);
      if (parsed instanceof ItemFailure) {
        results.push(failedResult(item, parsed, row?.id));
        continue;
      }
      if (!row) {
        const customFields = await applyCustomFields(parsed.customFields);
        if (customFields instanceof ItemFailure) results.push(failedResult(item, customFields));
        else {
          creates.push({
            index,
            write: {
              domain: null,
              industry: null,
              phones: [],
              addresses: [],
              ownerId: null,
              tags: [],
              ...companyWrite(parsed),
              name: (parsed as CompanyInput).name,
              customFields,
            },
          });
          results.push(itemResult(item, 'created'));
        }
        continue;
      }
      const current = currentCompany(row);
      const { input, conflicts } = withoutOwnedFields(
        parsed,
        crmOwnedFields,
        (field, incoming) => {
          const write = companyWrite({ [field]: incoming }) as Record<string, unknown>;
          return field in write && !isDeepStrictEqual(write[field], current[field as keyof CompanyWrite]);
        },
        current.customFields,
      );
      const customFields = await applyCustomFields(input.customFields, current.customFields as never);
      if (customFields instanceof ItemFailure) {
        results.push(failedResult(item, customFields, row.id));
        continue;
      }
      const write = { ...companyWrite(input), customFields };
      const extra = conflicts.length ? { conflicts } : {};
      if (Object.entries(write).every(([field, value]) => isDeepStrictEqual(value, current[field as keyof CompanyWrite]))) {
        results.push(itemResult(item, 'unchanged', { id: row.id, ...extra }));
        continue;
      }
      const updated = await this.companies.update(tenantId, row.id, row.version, write);
      if (!updated) throw new DomainError('PRECONDITION_FAILED', 'A company changed meanwhile; send the batch again.');
      const before = toCompany(row);
      const company = toCompany(updated);
      await this.events.publish(
        companyUpdated,
        { company, changed: changedFields(before, company, input) },
        { tenantId, subject: company.id, entityVersion: company.version },
      );
      results.push(itemResult(item, 'updated', { id: company.id, ...extra }));
    }
    const createdRows = creates.length
      ? await this.imports.insertCompanies(
          tenantId,
          creates.map((c) => c.write),
        )
      : [];
    await this.repository.saveRefs(
      key,
      createdRows.map((row, i) => ({ externalId: items[creates[i].index].externalId, recordId: row.id })),
    );
    await this.events.publishMany(
      companyCreated,
      createdRows.map((row) => {
        const company = toCompany(row);
        return { data: { company }, meta: { tenantId, subject: company.id, entityVersion: company.version } };
      }),
    );
    createdRows.forEach((row, i) => (results[creates[i].index] = { ...results[creates[i].index], id: row.id }));
    return { results };
  }
}
