import { Injectable } from '@nestjs/common';
import { companyCreated, importCompanies, RpcRequest, RpcResponse } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { companyWrite } from '../../companies/company-input';
import { toCompany } from '../../companies/company.mapper';
import { createdEntry, IMPORT_TRANSACTION, ImportAdapter, refuseIfAny } from '../import-batch';
import { ImportCustomFields } from '../import-custom-fields';
import { ImportsRepository } from '../imports.repository';

/** Companies in bulk: checked as single creates are, inserted together, one `company.created` each. */
@Injectable()
export class ImportCompaniesService {
  constructor(
    private readonly repository: ImportsRepository,
    private readonly customFields: ImportCustomFields,
    private readonly events: EventPublisher,
  ) {}

  @Transactional<ImportAdapter>(IMPORT_TRANSACTION)
  async import(tenantId: string, { companies }: RpcRequest<typeof importCompanies>): Promise<RpcResponse<typeof importCompanies>> {
    const { values, issues } = await this.customFields.applyAll(
      tenantId,
      'company',
      'companies',
      companies.map((c) => c.customFields),
    );
    refuseIfAny(issues);
    const rows = await this.repository.insertCompanies(
      tenantId,
      companies.map((input, i) => ({
        domain: null,
        industry: null,
        phones: [],
        addresses: [],
        ownerId: null,
        tags: [],
        ...companyWrite(input),
        name: input.name,
        customFields: values[i],
      })),
    );
    await this.events.publishMany(
      companyCreated,
      rows.map((row) => {
        const company = toCompany(row);
        return { data: { company }, meta: { tenantId, subject: company.id, entityVersion: company.version } };
      }),
    );
    return { created: rows.map((row, i) => createdEntry(companies[i], row.id)) };
  }
}
