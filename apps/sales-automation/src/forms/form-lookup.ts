import { Injectable } from '@nestjs/common';
import { DomainError } from '@crm/contracts';
import { checkVersion, notFound } from '../deals/deal-errors';
import { LeadFormRow } from './lead-form.mapper';
import { LeadFormRepository } from './lead-form.repository';

@Injectable()
export class FormLookup {
  constructor(private readonly forms: LeadFormRepository) {}

  async live(tenantId: string, id: string, expectedVersion?: number): Promise<LeadFormRow> {
    const row = await this.forms.find(tenantId, id);
    if (!row) throw notFound('Form', id);
    checkVersion(expectedVersion, row.version);
    return row;
  }

  /** The public side: an unknown, deleted or inactive key are all the same 404. */
  async activeByKey(formKey: string): Promise<LeadFormRow> {
    const row = await this.forms.activeByKey(formKey);
    if (!row) throw new DomainError('NOT_FOUND', 'There is no such form.');
    return row;
  }
}
