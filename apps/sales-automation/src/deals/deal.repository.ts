import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { OutboxMessageValues, OutboxStatement } from '@crm/messaging';
import { outboxArgs, outboxSlots, prepare, slot } from '@crm/service-kit';
import { type Insertable, type Kysely, type Updateable } from 'kysely';
import type { DB, Deal as DealTable } from '../generated/kysely/database';
import { Database } from '../infrastructure/database/database';
import { DEAL_RETURNING, DealRow, selectDeals } from './deal.table';

export type NewDeal = Insertable<DealTable>;

/** What a move reads under the deal's lock: see DealRepository.lockForMove. Gaps are (low, high) keys; null is an end of the stage. */
export interface MovePlan {
  deal: DealRow;
  stageFound: boolean;
  /** The gap after the `afterId` deal; undefined when it is not an open deal of the target stage (or not given). */
  after: { low: string; high: string | null } | undefined;
  /** The gap before the `beforeId` deal; undefined when it is not an open deal of the target stage (or not given). */
  before: { low: string | null; high: string } | undefined;
  /** The target stage's last key among the other open deals. */
  last: string | null;
}

/** Matches no deal: the anchor a move did not name (one statement text for every kind of move). */
const NO_ANCHOR = '00000000-0000-0000-0000-000000000000';

/**
 * The move's one read, built once (PreparedQuery: building it cost a fifth of the service's CPU
 * per move): see DealRepository.lockForMove.
 */
const lockAndReadForMove = prepare<[tenantId: string, id: string, stageId: string, afterId: string, beforeId: string]>()((db: Kysely<DB>) => {
  const [tenantId, id, stageId, afterId, beforeId] = [0, 1, 2, 3, 4].map((i) => slot<string>(i));
  return (
    selectDeals(db)
      // Both anchors' keys in one probe: the named deals that are open deals of the target stage.
      .innerJoinLateral(
        (eb) =>
          eb
            .selectFrom('deal as a')
            .select((agg) => [
              agg.fn.max('a.position').filterWhere('a.id', '=', afterId).as('position_after'),
              agg.fn.max('a.position').filterWhere('a.id', '=', beforeId).as('position_before'),
            ])
            .where('a.tenant_id', '=', tenantId)
            .where('a.id', 'in', [afterId, beforeId])
            .whereRef('a.pipeline_id', '=', 'd.pipeline_id')
            .where('a.stage_id', '=', stageId)
            .where('a.status', '=', 'open')
            .where('a.deleted_at', 'is', null)
            .as('anchors'),
        (join) => join.onTrue(),
      )
      .select((eb) => {
        /** The target stage's other open deals' keys, in drag order (the board's index). */
        const othersInStage = (direction: 'asc' | 'desc') =>
          eb
            .selectFrom('deal as n')
            .select('n.position')
            .where('n.tenant_id', '=', tenantId)
            .whereRef('n.pipeline_id', '=', 'd.pipeline_id')
            .where('n.stage_id', '=', stageId)
            .where('n.status', '=', 'open')
            .whereRef('n.id', '!=', 'd.id')
            .orderBy('n.position', direction)
            .limit(1);
        return [
          eb
            .exists(
              eb
                .selectFrom('pipeline_stage as s')
                .select('s.id')
                .where('s.tenant_id', '=', tenantId)
                .whereRef('s.pipeline_id', '=', 'd.pipeline_id')
                .where('s.id', '=', stageId),
            )
            .as('stage_found'),
          'anchors.position_after as after_key',
          othersInStage('asc').whereRef('n.position', '>', 'anchors.position_after').as('after_next'),
          'anchors.position_before as before_key',
          othersInStage('desc').whereRef('n.position', '<', 'anchors.position_before').as('before_next'),
          othersInStage('desc').as('last_key'),
        ];
      })
      .where('d.tenant_id', '=', tenantId)
      .where('d.id', '=', id)
      .where('d.deleted_at', 'is', null)
      .forUpdate('d')
  );
});

type MoveArgs = [
  tenantId: string,
  id: string,
  stageId: string,
  position: string,
  version: number,
  at: Date,
  visitId: string,
  pipelineId: string,
  ...outbox: [id: string, type: string, routingKey: string, tenantId: string, subject: string | null, envelope: string, headers: string],
];

/** The outbox row's columns: MoveArgs' tail. */
const OUTBOX_ROW = outboxSlots(8);

/** A move's one write, built once per kind: the deal's next version and `deal.moved`; into another stage, its stage visits too. */
function moveStatementOf(stageChanged: boolean) {
  return prepare<MoveArgs>()((db: Kysely<DB>) => {
    const tenantId = slot<string>(0);
    const id = slot<string>(1);
    const stageId = slot<string>(2);
    const at = slot<Date>(5);
    const moved = db.with('moved', (q) =>
      q
        .updateTable('deal')
        .set({ stage_id: stageId, position: slot<string>(3), version: slot<number>(4), updated_at: at, ...(stageChanged && { stage_entered_at: at }) })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .returning('id'),
    );
    if (!stageChanged) return moved.insertInto('outbox_message').values(OUTBOX_ROW);
    return moved
      .with('left', (q) =>
        q.updateTable('deal_stage_history').set({ left_at: at }).where('tenant_id', '=', tenantId).where('deal_id', '=', id).where('left_at', 'is', null),
      )
      .with('entered', (q) =>
        q
          .insertInto('deal_stage_history')
          .values({ id: slot<string>(6), tenant_id: tenantId, deal_id: id, pipeline_id: slot<string>(7), stage_id: stageId, entered_at: at }),
      )
      .insertInto('outbox_message')
      .values(OUTBOX_ROW);
  });
}

const moveWithinStage = moveStatementOf(false);
const moveToStage = moveStatementOf(true);

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
   * A move's one read: the deal, locked until the transaction ends (live ones only), whether the
   * target stage belongs to its pipeline, and the keys the move goes between, among the target
   * stage's other open deals. Each anchor (`afterId`, `beforeId`) gives its own key and its
   * neighbour's on its side (null: an end of the stage; the anchor's key is null when it is not an
   * open deal of that stage); with no anchor, `last` is the stage's last key. One round trip
   * instead of five: each costs a socket write both ways here.
   */
  async lockForMove(tenantId: string, id: string, to: { stageId: string; afterId?: string; beforeId?: string }): Promise<MovePlan | null> {
    const [row] = await lockAndReadForMove.execute(this.db, [tenantId, id, to.stageId, to.afterId ?? NO_ANCHOR, to.beforeId ?? NO_ANCHOR]);
    if (!row) return null;
    const { stage_found, after_key, after_next, before_key, before_next, last_key, ...deal } = row;
    return {
      deal,
      stageFound: Boolean(stage_found),
      after: after_key === null ? undefined : { low: after_key, high: after_next },
      before: before_key === null ? undefined : { low: before_next, high: before_key },
      last: last_key,
    };
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
   * visits (when the stage changes) and the event's outbox row, compiled, not run (EventPublisher.publishWithCommit).
   */
  moveStatement(
    tenantId: string,
    deal: { id: string; version: number; pipelineId: string },
    to: { stageId: string; position: string; stageChanged: boolean; at: Date },
  ): (outbox: OutboxMessageValues) => OutboxStatement {
    const statement = to.stageChanged ? moveToStage : moveWithinStage;
    return (outbox) =>
      statement.statement(this.db, [tenantId, deal.id, to.stageId, to.position, deal.version + 1, to.at, randomUUID(), deal.pipelineId, ...outboxArgs(outbox)]);
  }
}
