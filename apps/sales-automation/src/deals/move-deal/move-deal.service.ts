import { Injectable } from '@nestjs/common';
import { Deal, dealMoved, DomainError, moveDeal, RpcRequest } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { checkVersion, notFound, validationFailed } from '../deal-errors';
import { toDeal } from '../deal.mapper';
import { DealRepository, MovePlan } from '../deal.repository';
import { positionBetween } from '../drag-position';

type MoveRequest = RpcRequest<typeof moveDeal>;

/**
 * Drag and drop on the board: one short transaction of two statements (one locks the deal, checks
 * the stage and reads the neighbours' keys; one, sent with the COMMIT, writes the deal, its stage
 * visits and `deal.moved`): two round trips. The
 * new key sorts between the neighbours' (fractional indexing, jittered so that concurrent drops
 * into one gap need no stage lock), so no other deal is rewritten.
 */
@Injectable()
export class MoveDealService {
  constructor(
    private readonly deals: DealRepository,
    private readonly events: EventPublisher,
  ) {}

  @Transactional()
  async move(tenantId: string, request: MoveRequest): Promise<Deal> {
    const { id, stageId, beforeId, afterId } = request;
    if (beforeId === id) throw validationFailed([{ path: 'beforeId', message: 'must be another deal' }]);
    if (afterId === id) throw validationFailed([{ path: 'afterId', message: 'must be another deal' }]);
    const plan = await this.deals.lockForMove(tenantId, id, { stageId, afterId, beforeId });
    if (!plan) throw notFound('Deal', id);
    const before = plan.deal;
    checkVersion(request.expectedVersion, before.version);
    if (before.status !== 'open') throw new DomainError('CONFLICT', `The deal is ${before.status}: only open deals move.`);
    if (!plan.stageFound) throw validationFailed([{ path: 'stageId', message: "not a stage of the deal's pipeline" }]);
    const position = positionBetween(...gapOf(plan, request));
    const now = new Date();
    const stageChanged = stageId !== before.stage_id;
    // The deal is locked: the event's deal is the row as this move leaves it.
    const deal = toDeal({
      ...before,
      stage_id: stageId,
      position,
      version: before.version + 1,
      updated_at: now,
      stage_entered_at: stageChanged ? now : before.stage_entered_at,
    });
    // The deal is locked and checked: the write can only fail with the transaction; it goes with the COMMIT.
    await this.events.publishWithCommit(
      dealMoved,
      { deal, fromStageId: before.stage_id, toStageId: stageId },
      { tenantId, subject: id, entityVersion: deal.version },
      this.deals.moveStatement(tenantId, { id, version: before.version, pipelineId: before.pipeline_id }, { stageId, position, stageChanged, at: now }),
    );
    return deal;
  }
}

/** The keys the new one goes between: the neighbours the request names (before one, after one, between both), or after the stage's last deal. */
function gapOf(plan: MovePlan, { beforeId, afterId }: MoveRequest): [string | null, string | null] {
  if (!beforeId && !afterId) return [plan.last, null];
  if (afterId && !plan.after) throw validationFailed([{ path: 'afterId', message: 'not an open deal of that stage' }]);
  if (beforeId && !plan.before) throw validationFailed([{ path: 'beforeId', message: 'not an open deal of that stage' }]);
  const low = plan.after ? plan.after.low : (plan.before?.low ?? null);
  const high = plan.before ? plan.before.high : (plan.after?.high ?? null);
  if (low !== null && high !== null && low >= high) throw validationFailed([{ path: 'beforeId', message: 'must come after afterId on the board' }]);
  return [low, high];
}
