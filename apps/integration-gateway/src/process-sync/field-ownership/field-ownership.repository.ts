import { Injectable } from '@nestjs/common';
import { Database } from '../../infrastructure/database/database';

/**
 * Which side owns each field, per tenant and object (contacts, companies, products, orders): an
 * upsert from the ERP passes the CRM-owned ones to the owning service, which keeps them and
 * reports a differing incoming value as a conflict.
 */
@Injectable()
export class FieldOwnershipRepository {
  constructor(private readonly db: Database) {}

  /** The fields of `object` the CRM owns in this tenant. */
  async crmOwnedFields(tenantId: string, object: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('field_ownership')
      .select('field')
      .where('tenant_id', '=', tenantId)
      .where('object', '=', object)
      .where('owner', '=', 'crm')
      .orderBy('field')
      .execute();
    return rows.map((row) => row.field);
  }
}
