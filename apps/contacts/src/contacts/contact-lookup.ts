import { Injectable } from '@nestjs/common';
import { CompanyRepository } from '../companies/company.repository';
import { notFound, validationFailed } from '../shared/errors';
import { isExpired } from '@crm/service-kit';
import { ContactDetailRow, ContactRepository, ContactRow } from './contact.repository';

/** A contact as the tenant may see it: live, or deleted within the restore window; else NOT_FOUND. */
@Injectable()
export class ContactLookup {
  constructor(
    private readonly repository: ContactRepository,
    private readonly companies: CompanyRepository,
  ) {}

  async visible(tenantId: string, id: string): Promise<ContactRow> {
    return visibleOrNotFound(await this.repository.find(tenantId, id), id);
  }

  /** As `visible`, its detail (with its purchase summary) as the contract's JSON text. */
  async visibleDetail(tenantId: string, id: string): Promise<ContactDetailRow> {
    return visibleOrNotFound(await this.repository.findDetail(tenantId, id), id);
  }

  /** Live only: what can be changed. */
  async live(tenantId: string, id: string): Promise<ContactRow> {
    const row = await this.visible(tenantId, id);
    if (row.deletedAt) throw notFound('contact', id);
    return row;
  }

  /** A company a contact may be linked to: a live one of the same tenant; `path` names the field otherwise. */
  async checkCompany(tenantId: string, companyId: string | null | undefined, path: string): Promise<void> {
    if (companyId && !(await this.companies.existsActive(tenantId, companyId))) {
      throw validationFailed([{ path, message: 'no such company' }]);
    }
  }
}

function visibleOrNotFound<R extends { deletedAt: Date | null }>(row: R | null, id: string): R {
  if (!row || isExpired(row.deletedAt)) throw notFound('contact', id);
  return row;
}
