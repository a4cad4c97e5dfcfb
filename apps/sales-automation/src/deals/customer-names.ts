import { Injectable } from '@nestjs/common';
import { Database } from '../infrastructure/database/database';

/** The customer's name as the local copies of contacts and companies know it (none when neither is copied yet). */
@Injectable()
export class CustomerNames {
  constructor(private readonly db: Database) {}

  async of(tenantId: string, contactId: string | null | undefined, companyId: string | null | undefined): Promise<string | null> {
    const names: string[] = [];
    if (contactId) {
      const contact = await this.db
        .selectFrom('contact_copy')
        .select(['first_name', 'last_name'])
        .where('tenant_id', '=', tenantId)
        .where('id', '=', contactId)
        .where('erased_at', 'is', null)
        .executeTakeFirst();
      const name = [contact?.first_name, contact?.last_name].filter(Boolean).join(' ');
      if (name) names.push(name);
    }
    if (companyId) {
      const company = await this.db
        .selectFrom('company_copy')
        .select('name')
        .where('tenant_id', '=', tenantId)
        .where('id', '=', companyId)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      if (company?.name) names.push(company.name);
    }
    return names.length ? names.join(', ') : null;
  }
}
