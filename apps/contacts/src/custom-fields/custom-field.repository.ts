import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Kysely } from 'kysely';
import { prepare, slot } from '@crm/service-kit';
import type { DB } from '../generated/kysely/database';
import { Database } from '../infrastructure/database/database';
import { CUSTOM_FIELD_PROJECTION, CustomFieldRow } from './custom-field.table';

export type { CustomFieldRow };
export type CustomFieldEntity = 'contact' | 'company';

export interface CustomFieldWrite {
  label: string;
  type: string;
  options: string[];
  required: boolean;
}

/** One entity's definitions, by key: built once (every contact and company write reads them; building it cost more CPU than the read). */
const definitionsOf = prepare<[tenantId: string, entity: CustomFieldEntity]>()((db: Kysely<DB>) =>
  db
    .selectFrom('custom_field_definition')
    .select(CUSTOM_FIELD_PROJECTION)
    .where('tenant_id', '=', slot<string>(0))
    .where('entity', '=', slot<CustomFieldEntity>(1))
    .orderBy('entity')
    .orderBy('key'),
);

/**
 * A tenant's custom field definitions, through the typed query builder (inside the caller's
 * transaction when there is one): every contact and company write reads the list.
 */
@Injectable()
export class CustomFieldRepository {
  constructor(private readonly database: Database) {}

  /** Null when the tenant already has this key for this entity. */
  async create(tenantId: string, entity: CustomFieldEntity, key: string, data: CustomFieldWrite): Promise<CustomFieldRow | null> {
    const row = await this.database
      .insertInto('custom_field_definition')
      .values({ id: randomUUID(), tenant_id: tenantId, entity, key, ...data })
      .onConflict((oc) => oc.columns(['tenant_id', 'entity', 'key']).doNothing())
      .returning(CUSTOM_FIELD_PROJECTION)
      .executeTakeFirst();
    return row ?? null;
  }

  async find(tenantId: string, id: string): Promise<CustomFieldRow | null> {
    const row = await this.database
      .selectFrom('custom_field_definition')
      .select(CUSTOM_FIELD_PROJECTION)
      .where('id', '=', id)
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst();
    return row ?? null;
  }

  /** By entity, then key. */
  list(tenantId: string, entity?: CustomFieldEntity): Promise<CustomFieldRow[]> {
    if (entity !== undefined) return definitionsOf.execute(this.database, [tenantId, entity]);
    return this.database
      .selectFrom('custom_field_definition')
      .select(CUSTOM_FIELD_PROJECTION)
      .where('tenant_id', '=', tenantId)
      .orderBy('entity')
      .orderBy('key')
      .execute();
  }

  /** Null when the version moved on since it was read (a concurrent update won). */
  async update(tenantId: string, id: string, version: number, data: Partial<CustomFieldWrite>): Promise<CustomFieldRow | null> {
    const row = await this.database
      .updateTable('custom_field_definition')
      .set({ ...data, version: version + 1, updated_at: new Date() })
      .where('id', '=', id)
      .where('tenant_id', '=', tenantId)
      .where('version', '=', version)
      .returning(CUSTOM_FIELD_PROJECTION)
      .executeTakeFirst();
    return row ?? null;
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    const { numDeletedRows } = await this.database
      .deleteFrom('custom_field_definition')
      .where('id', '=', id)
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst();
    return numDeletedRows === 1n;
  }
}
