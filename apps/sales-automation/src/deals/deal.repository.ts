import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { OutboxMessageValues } from '@crm/messaging';
import { type Insertable, type Updateable } from 'kysely';
import type { Deal as DealTable } from '../generated/kysely/database';
import { Database } from '../infrastructure/database/database';
import { DEAL_RETURNING, DealRow, selectDeals } from './deal.table';

export type NewDeal = Insertable<DealTable>;

/** Deals and their stage history, through the typed query builder (the board and moves are the hot paths). */
@Injectable()
export class DealRepository {
  constructor(private readonly db: Database) {}

  /** A live (not deleted) deal of the tenant, or null. */
  async find(tenantId: string, id: string): Promise<DealRow | null> {
    const row = await selectDeals(this.db).where('d.tenant_id', '=', tenantId).where('d.id', '=', id).where('d.deleted_at', 'is', null).executeTakeFirst();
    return row ?? null;
  }

  async findByLead(tenantId: string, leadId: string): Promise<DealRow | null> {
    const row = await selectDeals(this.db).where('d.tenant_id', '=', tenantId).where('d.lead_id', '=', leadId).executeTakeFirst();
    return row ?? null;
  }

  /** The last open deal's key in the stage (the board's order), or null for an empty stage. */
  async lastPosition(tenantId: string, pipelineId: string, stageId: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('deal')
      .select('position')
      .where('tenant_id', '=', tenantId)
      .where('pipeline_id', '=', pipelineId)
      .where('stage_id', '=', stageId)
      .where('status', '=', 'open')
      .orderBy('position', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row?.position ?? null;
  }

  /** Null when the id (or the lead's deal) exists already: a retried create. */
  async insert(deal: NewDeal): Promise<DealRow | null> {
    const row = await this.db
      .insertInto('deal')
      .values(deal)
      .onConflict((oc) => oc.doNothing())
      .returning([...DEAL_RETURNING])
      .executeTakeFirst();
    return (row as DealRow | undefined) ?? null;
  }

  /** Opens the deal's visit of a stage. */
  async enterStage(tenantId: string, dealId: string, pipelineId: string, stageId: string, at: Date): Promise<void> {
    await this.db
      .insertInto('deal_stage_history')
      .values({ id: randomUUID(), tenant_id: tenantId, deal_id: dealId, pipeline_id: pipelineId, stage_id: stageId, entered_at: at })
      .execute();
  }

  /** The deal, locked until the transaction ends (a move, a close): live ones only. */
  async lock(tenantId: string, id: string): Promise<DealRow | null> {
    const row = await selectDeals(this.db)
      .where('d.tenant_id', '=', tenantId)
      .where('d.id', '=', id)
      .where('d.deleted_at', 'is', null)
      .forUpdate()
      .executeTakeFirst();
    return row ?? null;
  }

  /**
   * The keys a deal moved into a stage goes between: `anchor`'s key and its neighbour's on the
   * given side among the stage's other open deals (null: an end of the stage). Undefined when the
   * anchor is not an open deal of that stage.
   */
  async keysAround(
    tenantId: string,
    place: { pipelineId: string; stageId: string },
    movingId: string,
    anchorId: string,
    side: 'before' | 'after',
  ): Promise<{ low: string | null; high: string | null } | undefined> {
    const anchor = await this.db
      .selectFrom('deal')
      .select('position')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', anchorId)
      .where('pipeline_id', '=', place.pipelineId)
      .where('stage_id', '=', place.stageId)
      .where('status', '=', 'open')
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (!anchor) return undefined;
    const neighbour = await this.db
      .selectFrom('deal')
      .select('position')
      .where('tenant_id', '=', tenantId)
      .where('pipeline_id', '=', place.pipelineId)
      .where('stage_id', '=', place.stageId)
      .where('status', '=', 'open')
      .where('id', '!=', movingId)
      .where('position', side === 'before' ? '<' : '>', anchor.position)
      .orderBy('position', side === 'before' ? 'desc' : 'asc')
      .limit(1)
      .executeTakeFirst();
    const other = neighbour?.position ?? null;
    return side === 'before' ? { low: other, high: anchor.position } : { low: anchor.position, high: other };
  }

  /** The last open deal's key in the stage other than `movingId` (a move to the end). */
  async lastPositionExcept(tenantId: string, place: { pipelineId: string; stageId: string }, movingId: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('deal')
      .select('position')
      .where('tenant_id', '=', tenantId)
      .where('pipeline_id', '=', place.pipelineId)
      .where('stage_id', '=', place.stageId)
      .where('status', '=', 'open')
      .where('id', '!=', movingId)
      .orderBy('position', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row?.position ?? null;
  }

  /** Writes the next version of a deal the caller has locked or checks by version; null when `version` is stale. */
  async update(tenantId: string, id: string, version: number, values: Updateable<DealTable>): Promise<DealRow | null> {
    const row = await this.db
      .updateTable('deal')
      .set({ ...values, version: version + 1 })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('version', '=', version)
      .where('deleted_at', 'is', null)
      .returning([...DEAL_RETURNING])
      .executeTakeFirst();
    return (row as DealRow | undefined) ?? null;
  }

  /** Ends the deal's current stage visit (a move out, a close). */
  async leaveStage(tenantId: string, dealId: string, at: Date): Promise<void> {
    await this.db
      .updateTable('deal_stage_history')
      .set({ left_at: at })
      .where('tenant_id', '=', tenantId)
      .where('deal_id', '=', dealId)
      .where('left_at', 'is', null)
      .execute();
  }

  async history(tenantId: string, dealId: string) {
    return this.db
      .selectFrom('deal_stage_history')
      .select(['pipeline_id', 'stage_id', 'entered_at', 'left_at'])
      .where('tenant_id', '=', tenantId)
      .where('deal_id', '=', dealId)
      .orderBy('entered_at')
      .orderBy('id')
      .execute();
  }

  /**
   * A move of a locked deal as one statement: the deal's new stage, key and version, its stage
   * visits (when the stage changes) and the event's outbox row (EventPublisher.publishAlong).
   */
  moveStatement(
    tenantId: string,
    deal: { id: string; version: number; pipelineId: string },
    to: { stageId: string; position: string; stageChanged: boolean; at: Date },
  ): (outbox: OutboxMessageValues) => Promise<unknown> {
    return (outbox) => {
      const moved = this.db.with('moved', (q) =>
        q
          .updateTable('deal')
          .set({
            stage_id: to.stageId,
            position: to.position,
            version: deal.version + 1,
            updated_at: to.at,
            ...(to.stageChanged && { stage_entered_at: to.at }),
          })
          .where('tenant_id', '=', tenantId)
          .where('id', '=', deal.id)
          .returning('id'),
      );
      if (!to.stageChanged) return moved.insertInto('outbox_message').values(outbox).execute();
      return moved
        .with('left', (q) =>
          q
            .updateTable('deal_stage_history')
            .set({ left_at: to.at })
            .where('tenant_id', '=', tenantId)
            .where('deal_id', '=', deal.id)
            .where('left_at', 'is', null),
        )
        .with('entered', (q) =>
          q
            .insertInto('deal_stage_history')
            .values({ id: randomUUID(), tenant_id: tenantId, deal_id: deal.id, pipeline_id: deal.pipelineId, stage_id: to.stageId, entered_at: to.at }),
        )
        .insertInto('outbox_message')
        .values(outbox)
        .execute();
    };
  }
}
