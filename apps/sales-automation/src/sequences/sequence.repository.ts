import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Database } from '../infrastructure/database/database';
import type { SequenceDefinition, SequenceRow, SequenceWithDefinition } from './sequence.mapper';

const json = (value: unknown) => sql<unknown>`${JSON.stringify(value ?? null)}::jsonb`;

/** Sequences and their definition versions, tenant-scoped in every statement. */
@Injectable()
export class SequenceRepository {
  constructor(private readonly db: Database) {}

  private withDefinition() {
    return this.db
      .selectFrom('sequence as s')
      .innerJoin('sequence_version as v', (join) => join.onRef('v.sequence_id', '=', 's.id').onRef('v.number', '=', 's.current_version'))
      .selectAll('s')
      .select(['v.steps', 'v.exit_on'])
      .where('s.deleted_at', 'is', null);
  }

  async insert(tenantId: string, sequence: { id: string; name: string; enabled: boolean; timeZone: string }, definition: SequenceDefinition): Promise<void> {
    await this.db
      .insertInto('sequence')
      .values({ id: sequence.id, tenant_id: tenantId, name: sequence.name, enabled: sequence.enabled, time_zone: sequence.timeZone, current_version: 1 })
      .execute();
    await this.insertVersion(tenantId, sequence.id, 1, definition);
  }

  async insertVersion(tenantId: string, sequenceId: string, number: number, definition: SequenceDefinition): Promise<void> {
    await this.db
      .insertInto('sequence_version')
      .values({ id: crypto.randomUUID(), tenant_id: tenantId, sequence_id: sequenceId, number, steps: json(definition.steps), exit_on: definition.exitOn })
      .execute();
  }

  findLive(tenantId: string, id: string): Promise<SequenceWithDefinition | undefined> {
    return this.withDefinition().where('s.tenant_id', '=', tenantId).where('s.id', '=', id).executeTakeFirst();
  }

  /** Definition versions by (sequence, number), whichever tenant: the runner's batch reads them once each. */
  versions(keys: ReadonlyArray<{ sequenceId: string; number: number }>) {
    if (!keys.length) return Promise.resolve([]);
    return this.db
      .selectFrom('sequence_version as v')
      .select(['v.sequence_id', 'v.number', 'v.steps', 'v.exit_on'])
      .where((eb) => eb.or(keys.map((k) => eb.and([eb('v.sequence_id', '=', k.sequenceId), eb('v.number', '=', k.number)]))))
      .execute();
  }

  /** Each sequence's time zone now (a change reaches running enrolments' next waitUntil). */
  async timeZones(ids: readonly string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows = await this.db
      .selectFrom('sequence')
      .select(['id', 'time_zone'])
      .where('id', 'in', [...ids])
      .execute();
    return new Map(rows.map((row) => [row.id, row.time_zone]));
  }

  list(tenantId: string, after: { createdAt: Date; id: string } | undefined, limit: number): Promise<SequenceWithDefinition[]> {
    let select = this.withDefinition().where('s.tenant_id', '=', tenantId);
    if (after) {
      select = select.where((eb) =>
        eb.or([eb('s.created_at', '>', after.createdAt), eb.and([eb('s.created_at', '=', after.createdAt), eb('s.id', '>', after.id)])]),
      );
    }
    return select
      .orderBy('s.created_at')
      .orderBy('s.id')
      .limit(limit + 1)
      .execute();
  }

  /** The change applies only at `version` (undefined: someone changed it meanwhile); the version moves on. */
  update(
    tenantId: string,
    id: string,
    version: number,
    changes: Partial<Pick<SequenceRow, 'name' | 'enabled' | 'time_zone' | 'current_version' | 'deleted_at'>>,
  ): Promise<SequenceRow | undefined> {
    return this.db
      .updateTable('sequence')
      .set({ ...changes, version: version + 1, updated_at: new Date() })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('version', '=', version)
      .where('deleted_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
  }

  /** Which of the template ids are not live templates of the tenant (a step naming one is refused at save). */
  async missingTemplates(tenantId: string, ids: readonly string[]): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const found = await this.db
      .selectFrom('email_template')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('id', 'in', [...ids])
      .where('deleted_at', 'is', null)
      .execute();
    const live = new Set(found.map((row) => row.id));
    return new Set(ids.filter((id) => !live.has(id)));
  }
}
