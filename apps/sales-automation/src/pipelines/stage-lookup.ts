import { Injectable } from '@nestjs/common';
import { Database } from '../infrastructure/database/database';
import { validationFailed } from '../deals/deal-errors';

export interface StagePlace {
  pipelineId: string;
  stageId: string;
}

/** Where a deal goes: the stage named, else the first stage of the pipeline named, else of the tenant's default pipeline. */
@Injectable()
export class StageLookup {
  constructor(private readonly db: Database) {}

  /** `field` prefixes the fields a bad choice is reported under (`deal` → `deal.stageId`). */
  async resolve(tenantId: string, wanted: { pipelineId?: string; stageId?: string }, field: string): Promise<StagePlace> {
    let query = this.db
      .selectFrom('pipeline_stage as s')
      .innerJoin('pipeline as p', 'p.id', 's.pipeline_id')
      .select(['s.pipeline_id as pipelineId', 's.id as stageId'])
      .where('s.tenant_id', '=', tenantId)
      .where('p.tenant_id', '=', tenantId)
      .where('p.deleted_at', 'is', null);
    if (wanted.stageId) query = query.where('s.id', '=', wanted.stageId);
    if (wanted.pipelineId) query = query.where('p.id', '=', wanted.pipelineId);
    if (!wanted.stageId && !wanted.pipelineId) query = query.where('p.is_default', '=', true);
    const place = await query.orderBy('s.position').limit(1).executeTakeFirst();
    if (place) return place;
    if (wanted.stageId) throw validationFailed([{ path: `${field}.stageId`, message: 'no such stage (in that pipeline)' }]);
    if (wanted.pipelineId) throw validationFailed([{ path: `${field}.pipelineId`, message: 'no such pipeline' }]);
    throw validationFailed([{ path: `${field}.pipelineId`, message: 'the tenant has no pipeline yet: create one first' }]);
  }
}
