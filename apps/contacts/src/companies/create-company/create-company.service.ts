import { Injectable } from '@nestjs/common';
import { Company, companyCreated, RpcRequest, createCompany } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { CustomFieldValuesValidator } from '../../custom-fields/custom-field-values.validator';
import { companyWrite } from '../company-input';
import { toCompany } from '../company.mapper';
import { CompanyRepository } from '../company.repository';

@Injectable()
export class CreateCompanyService {
  constructor(
    private readonly repository: CompanyRepository,
    private readonly customFields: CustomFieldValuesValidator,
    private readonly events: EventPublisher,
  ) {}

  @Transactional()
  async create(tenantId: string, { company: input }: RpcRequest<typeof createCompany>): Promise<Company> {
    const customFields = await this.customFields.apply(tenantId, 'company', 'company.customFields', input.customFields);
    const row = await this.repository.create(tenantId, {
      domain: null,
      industry: null,
      phones: [],
      addresses: [],
      ownerId: null,
      tags: [],
      ...companyWrite(input),
      name: input.name,
      customFields,
    });
    const company = toCompany(row);
    await this.events.publish(companyCreated, { company }, { tenantId, subject: company.id, entityVersion: company.version });
    return company;
  }
}
