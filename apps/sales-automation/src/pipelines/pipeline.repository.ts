import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import type { Pipeline } from '@crm/contracts';
import { Database } from '../infrastructure/database/database';

export interface StageWrite {
  id?: string;
  name: string;
  winProbability: number;
}

interface PipelineRow {
  id: string;
  name: string;
  is_default: boolean;
  version: number;
  created_at: Date;
  updated_at: Date;
}

/** Pipelines and their stages (a pipeline is always read with its stages in order). */
@Injectable()
export class PipelineRepository {
  constructor(private readonly db: Database) {}

  /** Serialises the tenant's pipeline writes (which one is the default) until the transaction ends. */
  async lockTenant(tenantId: string): Promise<void> {
    await sql`select 1 as locked from pg_advisory_xact_lock(hashtextextended(${`pipelines:${tenantId}`}, 0))`.execute(this.db);
  }

  async hasLive(tenantId: string): Promise<boolean> {
    const row = await this.db.selectFrom('pipeline').select('id').where('tenant_id', '=', tenantId).where('deleted_at', 'is', null).limit(1).executeTakeFirst();
    return row !== undefined;
  }

  async insert(tenantId: string, name: string, isDefault: boolean, stages: StageWrite[]): Promise<string> {
    const id = randomUUID();
    const now = new Date();
    await this.db.insertInto('pipeline').values({ id, tenant_id: tenantId, name, is_default: isDefault, created_at: now, updated_at: now }).execute();
    await this.insertStages(
      tenantId,
      id,
      stages.map((stage, position) => ({ ...stage, position })),
    );
    return id;
  }

  async find(tenantId: string, id: string): Promise<Pipeline | null> {
    const row = await this.db
      .selectFrom('pipeline')
      .select(['id', 'name', 'is_default', 'version', 'created_at', 'updated_at'])
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (!row) return null;
    const [pipeline] = await this.withStages(tenantId, [row]);
    return pipeline;
  }

  /** A pipeline this transaction has just written (it exists). */
  async get(tenantId: string, id: string): Promise<Pipeline> {
    const pipeline = await this.find(tenantId, id);
    if (!pipeline) throw new Error(`pipeline ${id} vanished within its own transaction`);
    return pipeline;
  }

  /** A page in creation order (the default first), one more than `limit` when another page follows. */
  async page(tenantId: string, after: { createdAt: string; id: string } | undefined, limit: number): Promise<Pipeline[]> {
    let query = this.db
      .selectFrom('pipeline')
      .select(['id', 'name', 'is_default', 'version', 'created_at', 'updated_at'])
      .where('tenant_id', '=', tenantId)
      .where('deleted_at', 'is', null);
    if (after) query = query.where(sql<boolean>`(created_at, id) > (${after.createdAt}::timestamptz, ${after.id}::uuid)`);
    const rows = await query
      .orderBy('created_at')
      .orderBy('id')
      .limit(limit + 1)
      .execute();
    return this.withStages(tenantId, rows);
  }

  /** The stages as they are to be: kept ones updated, new ones added, missing ones deleted; the version bumped. Null when `version` is stale. */
  async update(tenantId: string, id: string, version: number, name: string, stages: StageWrite[], removedStageIds: string[]): Promise<boolean> {
    const bumped = await this.db
      .updateTable('pipeline')
      .set({ name, version: version + 1, updated_at: new Date() })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    if (bumped.numUpdatedRows !== 1n) return false;
    if (removedStageIds.length) await this.db.deleteFrom('pipeline_stage').where('tenant_id', '=', tenantId).where('id', 'in', removedStageIds).execute();
    const placed = stages.map((stage, position) => ({ ...stage, position }));
    for (const stage of placed) {
      if (!stage.id) continue;
      await this.db
        .updateTable('pipeline_stage')
        .set({ name: stage.name, position: stage.position, win_probability: stage.winProbability, updated_at: new Date() })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', stage.id)
        .execute();
    }
    await this.insertStages(
      tenantId,
      id,
      placed.filter((s) => !s.id),
    );
    return true;
  }

  /**
   * Soft delete; when it was the default, the oldest remaining pipeline becomes the default (a new
   * version of it: `newDefaultId`). Null when `version` is stale.
   */
  async delete(tenantId: string, id: string, version: number, now: Date): Promise<{ newDefaultId: string | null } | null> {
    const deleted = await this.db
      .updateTable('pipeline')
      .set({ deleted_at: now, is_default: false, version: version + 1, updated_at: now })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('version', '=', version)
      .returning('id')
      .executeTakeFirst();
    if (!deleted) return null;
    const hasDefault = await this.db
      .selectFrom('pipeline')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('deleted_at', 'is', null)
      .where('is_default', '=', true)
      .executeTakeFirst();
    if (!hasDefault) {
      const oldest = await this.db
        .selectFrom('pipeline')
        .select('id')
        .where('tenant_id', '=', tenantId)
        .where('deleted_at', 'is', null)
        .orderBy('created_at')
        .orderBy('id')
        .limit(1)
        .executeTakeFirst();
      if (oldest) {
        await this.db
          .updateTable('pipeline')
          .set((eb) => ({ is_default: true, version: eb('version', '+', 1), updated_at: now }))
          .where('tenant_id', '=', tenantId)
          .where('id', '=', oldest.id)
          .execute();
        return { newDefaultId: oldest.id };
      }
    }
    return { newDefaultId: null };
  }

  /** How many live deals each of the stages holds (only stages that hold any). */
  async dealCounts(tenantId: string, pipelineId: string, stageIds: string[], openOnly: boolean): Promise<Map<string, number>> {
    if (!stageIds.length) return new Map();
    let query = this.db
      .selectFrom('deal')
      .select(['stage_id', (eb) => eb.fn.countAll<string>().as('count')])
      .where('tenant_id', '=', tenantId)
      .where('pipeline_id', '=', pipelineId)
      .where('stage_id', 'in', stageIds)
      .where('deleted_at', 'is', null);
    if (openOnly) query = query.where('status', '=', 'open');
    const rows = await query.groupBy('stage_id').execute();
    return new Map(rows.map((r) => [r.stage_id, Number(r.count)]));
  }

  private async insertStages(tenantId: string, pipelineId: string, stages: (StageWrite & { position: number })[]): Promise<void> {
    if (!stages.length) return;
    const now = new Date();
    await this.db
      .insertInto('pipeline_stage')
      .values(
        stages.map((s) => ({
          id: randomUUID(),
          tenant_id: tenantId,
          pipeline_id: pipelineId,
          name: s.name,
          position: s.position,
          win_probability: s.winProbability,
          created_at: now,
          updated_at: now,
        })),
      )
      .execute();
  }

  private async withStages(tenantId: string, rows: PipelineRow[]): Promise<Pipeline[]> {
    if (!rows.length) return [];
    const stages = await this.db
      .selectFrom('pipeline_stage')
      .select(['id', 'pipeline_id', 'name', 'position', 'win_probability'])
      .where('tenant_id', '=', tenantId)
      .where(
        'pipeline_id',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('position')
      .execute();
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      isDefault: row.is_default,
      stages: stages
        .filter((s) => s.pipeline_id === row.id)
        .map((s, index) => ({ id: s.id, name: s.name, position: index, winProbability: s.win_probability })),
      version: row.version,
      createdAt: new Date(row.created_at).toISOString(),
      updatedAt: new Date(row.updated_at).toISOString(),
    }));
  }
}
