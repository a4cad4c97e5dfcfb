import { Kysely, sql, SqlBool } from 'kysely';
import type { DB } from '../generated/kysely/database';

/**
 * The external_ref table module: an outside system's id of a contact or company, keyed by
 * (tenant, object, system, external id). The one place its columns are named.
 */
export type ExternalObject = 'contact' | 'company';

export interface ExternalRefKey {
  tenantId: string;
  object: ExternalObject;
  system: string;
}

/** The refs of `externalIds` (those known): external id -> record id, one statement for any number. */
export function selectRefs(db: Kysely<DB>, key: ExternalRefKey, externalIds: string[]) {
  return db
    .selectFrom('external_ref')
    .select(['external_ref.external_id as externalId', 'external_ref.record_id as recordId'])
    .where('external_ref.tenant_id', '=', key.tenantId)
    .where('external_ref.object', '=', key.object)
    .where('external_ref.system', '=', key.system)
    // IN (unnest): hashed, where `= ANY(array)` on a scan compares each row with every id.
    .where(sql<SqlBool>`external_ref.external_id IN (SELECT unnest(${externalIds}::text[]))`);
}

/** Points each external id at its record (new refs, or a ref whose record is gone pointed at the new one): one statement. */
export function upsertRefs(db: Kysely<DB>, key: ExternalRefKey, refs: { externalId: string; recordId: string }[]) {
  const externalIds = refs.map((r) => r.externalId);
  const recordIds = refs.map((r) => r.recordId);
  return db
    .insertInto('external_ref')
    .columns(['tenant_id', 'object', 'system', 'external_id', 'record_id'])
    .expression(
      sql<{
        tenant_id: string;
        object: string;
        system: string;
        external_id: string;
        record_id: string;
      }>`SELECT ${key.tenantId}::text, ${key.object}::text, ${key.system}::text, e, r FROM unnest(${externalIds}::text[], ${recordIds}::uuid[]) AS x(e, r)`,
    )
    .onConflict((oc) => oc.columns(['tenant_id', 'object', 'system', 'external_id']).doUpdateSet((eb) => ({ record_id: eb.ref('excluded.record_id') })));
}

/** Moves every ref of `fromId` to `toId` (a merge: the survivor answers to the merged record's ids). */
export function moveRefs(db: Kysely<DB>, tenantId: string, object: ExternalObject, fromId: string, toId: string) {
  return db.updateTable('external_ref').set({ record_id: toId }).where('tenant_id', '=', tenantId).where('object', '=', object).where('record_id', '=', fromId);
}

/** Forgets every ref of `recordIds` (an erasure: nothing may lead back to them). */
export function deleteRefs(db: Kysely<DB>, tenantId: string, object: ExternalObject, recordIds: string[]) {
  return db
    .deleteFrom('external_ref')
    .where('tenant_id', '=', tenantId)
    .where('object', '=', object)
    .where('record_id', '=', sql<string>`ANY(${recordIds}::uuid[])`);
}
