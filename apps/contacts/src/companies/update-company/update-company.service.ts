import { Injectable } from '@nestjs/common';
import { Company, companyUpdated, DomainError, RpcRequest, updateCompany } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { CustomFieldValuesValidator } from '../../custom-fields/custom-field-values.validator';
import { changedFields } from '../../shared/changed-fields';
import { checkVersion } from '../../shared/errors';
import { companyWrite } from '../company-input';
import { CompanyLookup } from '../company-lookup';
import { toCompany } from '../company.mapper';
import { CompanyRepository } from '../company.repository';

/**
 * Patch semantics: absent fields stay, arrays replace, custom fields merge (null clears one). A
 * rename changes the company's own search words only: search finds its contacts through them.
 */
@Injectable()
export class UpdateCompanyService {
  constructor(
    private readonly lookup: CompanyLookup,
    private readonly repository: CompanyRepository,
    private readonly customFields: CustomFieldValuesValidator,
    private readonly events: EventPublisher,
  ) {}

  @Transactional()
  async update(tenantId: string, { id, expectedVersion, patch }: RpcRequest<typeof updateCompany>): Promise<Company> {
    const current = await this.lookup.live(tenantId, id);
    checkVersion(expectedVersion, current.version);
    const before = toCompany(current);
    const customFields = await this.customFields.apply(tenantId, 'company', 'patch.customFields', patch.customFields, before.customFields);
    const write = { ...companyWrite(patch), customFields };
    const row = await this.repository.update(tenantId, id, current.version, write);
    if (!row) throw new DomainError('PRECONDITION_FAILED', 'The company changed meanwhile; read it again.');
    const company = toCompany(row);
    const changed = changedFields(before, company, patch);
    await this.events.publish(companyUpdated, { company, changed }, { tenantId, subject: id, entityVersion: company.version });
    return company;
  }
}
