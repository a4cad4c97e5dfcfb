import { Injectable } from '@nestjs/common';
import type { FieldOwnership, SyncObject } from '@crm/contracts';
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

  async find(tenantId: string, object: SyncObject): Promise<FieldOwnership> {
    const rows = await this.db
      .selectFrom('field_ownership')
      .select(['field', 'owner'])
      .where('tenant_id', '=', tenantId)
      .where('object', '=', object)
      .orderBy('field')
      .execute();
    return { object, fields: rows.map((row) => ({ field: row.field, owner: row.owner === 'crm' ? 'crm' : 'erp' })) };
  }

  /** Replaces the object's map (in the caller's transaction). */
  async replace(tenantId: string, { object, fields }: FieldOwnership): Promise<void> {
    await this.db.deleteFrom('field_ownership').where('tenant_id', '=', tenantId).where('object', '=', object).execute();
    if (fields.length === 0) return;
    await this.db
      .insertInto('field_ownership')
      .values(fields.map(({ field, owner }) => ({ tenant_id: tenantId, object, field, owner })))
      .execute();
  }
}
