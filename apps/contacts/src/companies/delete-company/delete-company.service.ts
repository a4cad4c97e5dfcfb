import { Injectable } from '@nestjs/common';
import { Company, companyDeleted, DomainError, RpcRequest, deleteCompany } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { checkVersion } from '../../shared/errors';
import { CompanyLookup } from '../company-lookup';
import { toCompany } from '../company.mapper';
import { CompanyRepository } from '../company.repository';

/** Soft delete: restorable for RESTORE_WINDOW_DAYS; its contacts keep their link meanwhile. */
@Injectable()
export class DeleteCompanyService {
  constructor(
    private readonly lookup: CompanyLookup,
    private readonly repository: CompanyRepository,
    private readonly events: EventPublisher,
  ) {}

  @Transactional()
  async delete(tenantId: string, { id, expectedVersion }: RpcRequest<typeof deleteCompany>): Promise<Company> {
    const current = await this.lookup.live(tenantId, id);
    checkVersion(expectedVersion, current.version);
    const row = await this.repository.update(tenantId, id, current.version, { deletedAt: new Date() });
    if (!row?.deletedAt) throw new DomainError('PRECONDITION_FAILED', 'The company changed meanwhile; read it again.');
    const deletedAt = row.deletedAt.toISOString();
    await this.events.publish(companyDeleted, { companyId: id, deletedAt }, { tenantId, subject: id, entityVersion: row.version });
    return toCompany(row);
  }
}
