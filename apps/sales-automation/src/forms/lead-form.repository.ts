import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { sql, type SqlBool, type Updateable } from 'kysely';
import { pageRows } from '@crm/service-kit';
import type { LeadForm as LeadFormTable } from '../generated/kysely/database';
import { Database } from '../infrastructure/database/database';
import type { LeadFormRow } from './lead-form.mapper';

export type LeadFormChanges = Omit<Updateable<LeadFormTable>, 'id' | 'tenant_id' | 'form_key' | 'version' | 'created_at'>;

/** 192 random bits, URL-safe: a form key cannot be guessed or enumerated. */
export function newFormKey(): string {
  return randomBytes(24).toString('base64url');
}

/** The tenant's web-to-lead forms; `byKey` is the public lookup (the key says whose form it is). */
@Injectable()
export class LeadFormRepository {
  constructor(private readonly db: Database) {}

  async insert(tenantId: string, values: { name: string; allowed_origins: string[]; campaign_id: string | null; owner_id: string | null; active: boolean }) {
    const now = new Date();
    return this.db
      .insertInto('lead_form')
      .values({ ...values, id: randomUUID(), tenant_id: tenantId, form_key: newFormKey(), created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async find(tenantId: string, id: string): Promise<LeadFormRow | null> {
    return (
      (await this.db
        .selectFrom('lead_form')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('deleted_at', 'is', null)
        .executeTakeFirst()) ?? null
    );
  }

  /** An active, live form by its public key, whichever tenant's. */
  async activeByKey(formKey: string): Promise<LeadFormRow | null> {
    return (
      (await this.db
        .selectFrom('lead_form')
        .selectAll()
        .where('form_key', '=', formKey)
        .where('active', '=', true)
        .where('deleted_at', 'is', null)
        .executeTakeFirst()) ?? null
    );
  }

  /** Writes the changes with the next version; null when `version` is no longer current. */
  async update(tenantId: string, id: string, version: number, changes: LeadFormChanges): Promise<LeadFormRow | null> {
    const row = await this.db
      .updateTable('lead_form')
      .set({ ...changes, version: version + 1, updated_at: new Date() })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('version', '=', version)
      .where('deleted_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    return row ?? null;
  }

  /** By name, then id (the (tenant_id, name, id) index), after the cursor's row. */
  async page(tenantId: string, after: { name: string; id: string } | undefined, limit: number): Promise<LeadFormRow[]> {
    let query = this.db.selectFrom('lead_form').selectAll().where('tenant_id', '=', tenantId).where('deleted_at', 'is', null);
    if (after) query = query.where(sql<SqlBool>`(name, id) > (${after.name}, ${after.id}::uuid)`);
    return query.orderBy('name').orderBy('id').limit(pageRows(limit)).execute();
  }
}
