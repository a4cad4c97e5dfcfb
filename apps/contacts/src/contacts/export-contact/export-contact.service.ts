import { Injectable } from '@nestjs/common';
import { exportContact, RpcRequest, RpcResponse } from '@crm/contracts';
import { Transactional } from '@nestjs-cls/transactional';
import type { TransactionalAdapterPrisma } from '@nestjs-cls/transactional-adapter-prisma';
import { toCompany } from '../../companies/company.mapper';
import { CompanyRepository } from '../../companies/company.repository';
import { DataSubjectRequestRepository } from '../../data-subject-requests/data-subject-request.repository';
import { toInteraction } from '../../interactions/interaction.mapper';
import { InteractionRepository } from '../../interactions/interaction.repository';
import { notFound } from '../../shared/errors';
import { toContact } from '../contact.mapper';
import { ContactRepository } from '../contact.repository';

/**
 * Everything the service holds about one person (GDPR art. 15/20): the contact, its company and
 * its whole timeline with bodies. "Holds" is the test, not "shows": a soft-deleted contact is
 * exported too, even past the restore window until it is purged. Only an erased one (nothing
 * left) or another tenant's answers NOT_FOUND. One snapshot, so the parts agree. Each export is
 * recorded (who, when, which contact) in the same transaction: no export goes unrecorded.
 */
@Injectable()
export class ExportContactService {
  constructor(
    private readonly contacts: ContactRepository,
    private readonly companies: CompanyRepository,
    private readonly interactions: InteractionRepository,
    private readonly requests: DataSubjectRequestRepository,
  ) {}

  @Transactional<TransactionalAdapterPrisma>({ isolationLevel: 'RepeatableRead' })
  async export(tenantId: string, requestedBy: string, { id }: RpcRequest<typeof exportContact>): Promise<RpcResponse<typeof exportContact>> {
    const row = await this.contacts.find(tenantId, id);
    if (!row) throw notFound('contact', id);
    const exportedAt = new Date();
    await this.requests.record(tenantId, 'export', id, requestedBy, exportedAt);
    const company = row.companyId ? await this.companies.find(tenantId, row.companyId) : null;
    const interactions = await this.interactions.all(tenantId, id);
    return {
      exportedAt: exportedAt.toISOString(),
      contact: toContact(row),
      company: company && toCompany(company),
      interactions: interactions.map(toInteraction),
    };
  }
}
