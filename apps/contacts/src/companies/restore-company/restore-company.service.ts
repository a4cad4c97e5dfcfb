import { Injectable } from '@nestjs/common';
import { Company, companyRestored, DomainError, RpcRequest, restoreCompany } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { CompanyLookup } from '../company-lookup';
import { toCompany } from '../company.mapper';
import { CompanyRepository } from '../company.repository';

/** Undoes a delete within the restore window; restoring a live company changes nothing. */
@Injectable()
export class RestoreCompanyService {
  constructor(
    private readonly lookup: CompanyLookup,
    private readonly repository: CompanyRepository,
    private readonly events: EventPublisher,
  ) {}

  @Transactional()
  async restore(tenantId: string, { id }: RpcRequest<typeof restoreCompany>): Promise<Company> {
    const current = await this.lookup.visible(tenantId, id);
    if (!current.deletedAt) return toCompany(current);
    const row = await this.repository.update(tenantId, id, current.version, { deletedAt: null });
    if (!row) throw new DomainError('PRECONDITION_FAILED', 'The company changed meanwhile; read it again.');
    const company = toCompany(row);
    await this.events.publish(companyRestored, { company }, { tenantId, subject: id, entityVersion: company.version });
    return company;
  }
}
