import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { sql, type Insertable, type SqlBool, type Updateable } from 'kysely';
import { pageRows } from '@crm/service-kit';
import type { Lead as LeadTable } from '../generated/kysely/database';
import { Database } from '../infrastructure/database/database';
import type { LeadRow } from './lead.mapper';

export type LeadValues = Omit<Insertable<LeadTable>, 'id' | 'tenant_id' | 'version' | 'created_at' | 'updated_at'>;
export type LeadChanges = Omit<Updateable<LeadTable>, 'id' | 'tenant_id' | 'version' | 'created_at'>;

export interface LeadListQuery {
  filter: { status?: string; ownerId?: string; source?: string; q?: string };
  after?: { createdAt: string; id: string };
  limit: number;
}

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Leads of a tenant: live ones only (deleted and erased ones are never read back). */
@Injectable()
export class LeadRepository {
  constructor(private readonly db: Database) {}

  async insert(tenantId: string, values: LeadValues): Promise<LeadRow> {
    const now = new Date();
    return this.db
      .insertInto('lead')
      .values({ ...values, id: randomUUID(), tenant_id: tenantId, created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async find(tenantId: string, id: string): Promise<LeadRow | null> {
    return (await this.live(tenantId, id).executeTakeFirst()) ?? null;
  }

  /** The row locked for the rest of the transaction (concurrent writers of one lead queue up). */
  async lock(tenantId: string, id: string): Promise<LeadRow | null> {
    return (await this.live(tenantId, id).forUpdate().executeTakeFirst()) ?? null;
  }

  /** Writes the changes with the next version; null when `version` is no longer current. */
  async update(tenantId: string, id: string, version: number, changes: LeadChanges): Promise<LeadRow | null> {
    const row = await this.db
      .updateTable('lead')
      .set({ ...changes, version: version + 1, updated_at: new Date() })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('version', '=', version)
      .where('deleted_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    return row ?? null;
  }

  /** Records one conversion step's result without a new version (the final step bumps it). */
  async recordStep(tenantId: string, id: string, step: Pick<LeadChanges, 'converted_contact_id' | 'converted_company_id' | 'converted_deal_id'>) {
    await this.db.updateTable('lead').set(step).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
  }

  /** Newest first, one page after the cursor's row (limit + 1 rows: the extra one says a next page exists). */
  async page(tenantId: string, { filter, after, limit }: LeadListQuery): Promise<LeadRow[]> {
    let query = this.db.selectFrom('lead').selectAll().where('tenant_id', '=', tenantId).where('deleted_at', 'is', null).where('erased_at', 'is', null);
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.ownerId) query = query.where('owner_id', '=', filter.ownerId);
    if (filter.source) query = query.where('source', '=', filter.source);
    if (filter.q) {
      const pattern = likePattern(filter.q);
      query = query.where((eb) =>
        eb.or([eb('first_name', 'ilike', pattern), eb('last_name', 'ilike', pattern), eb('company_name', 'ilike', pattern), eb('email', 'ilike', pattern)]),
      );
    }
    if (after) {
      query = query.where(
        sql<SqlBool>`(created_at < ${after.createdAt}::timestamptz OR (created_at = ${after.createdAt}::timestamptz AND id < ${after.id}::uuid))`,
      );
    }
    return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(pageRows(limit)).execute();
  }

  private live(tenantId: string, id: string) {
    return this.db
      .selectFrom('lead')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .where('erased_at', 'is', null);
  }
}
