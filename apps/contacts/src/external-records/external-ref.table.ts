import { Kysely, sql } from 'kysely';
import type { DB } from '../generated/kysely/database';

/**
 * The external_ref table module: an outside system's id of a contact or company, keyed by
 * (tenant, object, system, external id). The one place its columns are named.
 */
export type ExternalObject = 'contact' | 'company';

/** The one order claims and locks take, so two batches never wait on each other crosswise. */
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export interface ExternalRefKey {
  tenantId: string;
  object: ExternalObject;
  system: string;
}

/** The ref of the external id `externalId` (an SQL expression) under `key`: the whole primary key, so every probe is one index lookup. */
const refOf = (key: ExternalRefKey, externalId: ReturnType<typeof sql.ref>) =>
  sql`tenant_id = ${key.tenantId} AND object = ${key.object} AND system = ${key.system} AND external_id = ${externalId}`;

/**
 * The refs of `externalIds` (those known): external id -> record id, one statement for any
 * number. One primary-key probe per id (a scalar subquery is never turned into a join): as a join,
 * a new tenant's stale statistics made the planner scan all the tenant's refs once per id.
 */
export function selectRefs(key: ExternalRefKey, externalIds: string[]) {
  return sql<{ externalId: string; recordId: string }>`SELECT * FROM (
      SELECT x.e AS "externalId",
        (SELECT record_id FROM external_ref WHERE ${refOf(key, sql.ref('x.e'))}) AS "recordId"
      FROM jsonb_array_elements_text(${JSON.stringify(externalIds)}::jsonb) AS x(e)) refs
    WHERE "recordId" IS NOT NULL`;
}

/**
 * Claims external ids: inserts a ref for each one not known yet, pointing at the record it is
 * about to get, in external-id order; returns the external ids claimed. A concurrent batch that
 * claimed the same id first makes this wait until it ends (then the id is known, not claimed).
 */
export function claimRefs(db: Kysely<DB>, key: ExternalRefKey, claims: { externalId: string; recordId: string }[]) {
  const sorted = [...claims].sort((a, b) => byCodeUnits(a.externalId, b.externalId));
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
      }>`SELECT ${key.tenantId}::text, ${key.object}::text, ${key.system}::text, e, r
         FROM unnest(${sorted.map((c) => c.externalId)}::text[], ${sorted.map((c) => c.recordId)}::uuid[]) WITH ORDINALITY AS x(e, r, n) ORDER BY n`,
    )
    .onConflict((oc) => oc.columns(['tenant_id', 'object', 'system', 'external_id']).doNothing())
    .returning('external_id');
}

/**
 * The refs of `externalIds`, locked for update until the transaction ends (in external-id order,
 * so batches never deadlock). One primary-key probe per id, as `selectRefs`: the LATERAL
 * subquery's LIMIT keeps it from being turned into a join or a filter. As
 * `external_id = ANY($ids)`, a tenant's refs counted while it had none (stale statistics) made
 * the planner scan all of them and test each against the whole array: 1.6-1.9 s per batch of
 * 1,000 once it held 100,000 refs, the largest cost of a bulk job's update run.
 */
export function lockRefs(key: ExternalRefKey, externalIds: string[]) {
  const sorted = [...externalIds].sort(byCodeUnits);
  return sql<{ external_id: string; record_id: string }>`SELECT r.external_id, r.record_id
    FROM unnest(${sorted}::text[]) WITH ORDINALITY AS x(e, n)
    CROSS JOIN LATERAL (SELECT external_id, record_id FROM external_ref WHERE ${refOf(key, sql.ref('x.e'))} LIMIT 1 FOR UPDATE) r
    ORDER BY x.n`;
}

/**
 * Forgets refs by external id (claims whose record was not made after all, held by this
 * transaction): found by one primary-key probe per id as in `lockRefs`, deleted by their row
 * ids, so stale statistics cannot turn it into a scan of the tenant's refs per id.
 */
export function dropRefs(key: ExternalRefKey, externalIds: string[]) {
  return sql`DELETE FROM external_ref WHERE tenant_id = ${key.tenantId} AND ctid = ANY(ARRAY(
    SELECT r.ctid FROM unnest(${externalIds}::text[]) AS x(e)
    CROSS JOIN LATERAL (SELECT ctid FROM external_ref WHERE ${refOf(key, sql.ref('x.e'))} LIMIT 1) r))`;
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
