import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Database } from '../infrastructure/database/database';

export type ExternalObject = 'contact' | 'company';

/** A known external id: the record it names, whether that record is live, and its version. */
export interface ResolvedRef {
  recordId: string;
  live: boolean;
  version: number;
}

/**
 * The external ids of contacts and companies (one row per tenant, object, system and id). Every
 * statement takes a whole batch (arrays as one parameter each), so a batch of 1,000 costs the same
 * few round trips as one item.
 */
@Injectable()
export class ExternalRefRepository {
  constructor(private readonly db: Database) {}

  /** The refs of `externalIds` with their records' state (a deleted or merged-away record is not live). */
  async resolve(tenantId: string, object: ExternalObject, system: string, externalIds: readonly string[]): Promise<Map<string, ResolvedRef>> {
    if (externalIds.length === 0) return new Map();
    const table = object === 'contact' ? sql.raw('contact') : sql.raw('company');
    const liveCondition = object === 'contact' ? sql`r.deleted_at IS NULL AND r.erased_at IS NULL` : sql`r.deleted_at IS NULL`;
    const { rows } = await sql<{ external_id: string; record_id: string; live: boolean | null; version: number | null }>`
      SELECT e.external_id, e.record_id, (${liveCondition}) AS live, r.version
      FROM external_ref e LEFT JOIN ${table} r ON r.id = e.record_id AND r.tenant_id = e.tenant_id
      WHERE e.tenant_id = ${tenantId} AND e.object = ${object} AND e.system = ${system} AND e.external_id = ANY(${[...externalIds]}::text[])`.execute(this.db);
    return new Map(rows.map((row) => [row.external_id, { recordId: row.record_id, live: row.live === true, version: row.version ?? 0 }]));
  }

  /**
   * Claims external ids for new records: inserted, or re-pointed when the ref named a record that
   * is gone (`replaceable`). Returns the ids claimed; one a concurrent batch claimed first (its
   * insert waits for that batch to commit, then does nothing) is absent, and the caller treats it as known.
   */
  async claim(tenantId: string, object: ExternalObject, system: string, refs: { externalId: string; recordId: string }[], replaceable: readonly string[]): Promise<Set<string>> {
    if (refs.length === 0) return new Set();
    const { rows } = await sql<{ external_id: string }>`
      INSERT INTO external_ref (tenant_id, object, system, external_id, record_id)
      SELECT ${tenantId}, ${object}, ${system}, x, r FROM unnest(${refs.map((r) => r.externalId)}::text[], ${refs.map((r) => r.recordId)}::uuid[]) AS t(x, r)
      ON CONFLICT (tenant_id, object, system, external_id) DO UPDATE SET record_id = EXCLUDED.record_id, created_at = now()
        WHERE external_ref.record_id = ANY(${[...replaceable]}::uuid[])
      RETURNING external_id`.execute(this.db);
    return new Set(rows.map((row) => row.external_id));
  }

  /** A merge: the merged record's external ids now name the survivor (the ERP's old id of the duplicate finds the survivor). */
  async moveToSurvivor(tenantId: string, object: ExternalObject, fromId: string, toId: string): Promise<void> {
    await this.db.updateTable('external_ref').set({ record_id: toId }).where('tenant_id', '=', tenantId).where('object', '=', object).where('record_id', '=', fromId).execute();
  }

  /** An erasure: the outside system's ids of the person are personal data too. */
  async deleteOf(tenantId: string, object: ExternalObject, recordIds: readonly string[]): Promise<void> {
    if (recordIds.length === 0) return;
    await this.db.deleteFrom('external_ref').where('tenant_id', '=', tenantId).where('object', '=', object).where('record_id', 'in', [...recordIds]).execute();
  }
}
