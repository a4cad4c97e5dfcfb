import { Injectable } from '@nestjs/common';
import { Deal, dealMoved, DomainError, moveDeal, RpcRequest } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { StageLookup } from '../../pipelines/stage-lookup';
import { validationFailed } from '../deal-errors';
import { DealLookup } from '../deal-lookup';
import { toDeal } from '../deal.mapper';
import { DealRepository } from '../deal.repository';
import { positionBetween } from '../drag-position';

type MoveRequest = RpcRequest<typeof moveDeal>;

/**
 * Drag and drop on the board: one short transaction (lock the deal, check the stage, read the
 * neighbours' keys, then one statement writes the deal, its stage visits and `deal.moved`). The
 * new key sorts between the neighbours' (fractional indexing, jittered so that concurrent drops
 * into one gap need no stage lock), so no other deal is rewritten.
 */
@Injectable()
export class MoveDealService {
  constructor(
    private readonly lookup: DealLookup,
    private readonly deals: DealRepository,
    private readonly stages: StageLookup,
    private readonly events: EventPublisher,
  ) {}

  @Transactional()
  async move(tenantId: string, request: MoveRequest): Promise<Deal> {
    const { id, stageId, beforeId, afterId } = request;
    if (beforeId === id) throw validationFailed([{ path: 'beforeId', message: 'must be another deal' }]);
    if (afterId === id) throw validationFailed([{ path: 'afterId', message: 'must be another deal' }]);
    const before = await this.lookup.locked(tenantId, id, request.expectedVersion);
    if (before.status !== 'open') throw new DomainError('CONFLICT', `The deal is ${before.status}: only open deals move.`);
    const place = await this.stages.stageOf(tenantId, before.pipeline_id, stageId);
    if (!place) throw validationFailed([{ path: 'stageId', message: "not a stage of the deal's pipeline" }]);
    const position = await this.position(tenantId, place, request);
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
    await this.events.publishAlong(
      dealMoved,
      { deal, fromStageId: before.stage_id, toStageId: stageId },
      { tenantId, subject: id, entityVersion: deal.version },
      this.deals.moveStatement(tenantId, { id, version: before.version, pipelineId: before.pipeline_id }, { stageId, position, stageChanged, at: now }),
    );
    return deal;
  }

  /** A key between the neighbours the request names (before one, after one, between both), or after the stage's last deal. */
  private async position(tenantId: string, place: { pipelineId: string; stageId: string }, { id, beforeId, afterId }: MoveRequest): Promise<string> {
    if (!beforeId && !afterId) return positionBetween(await this.deals.lastPositionExcept(tenantId, place, id), null);
    const aroundAfter = afterId ? await this.deals.keysAround(tenantId, place, id, afterId, 'after') : undefined;
    if (afterId && !aroundAfter) throw validationFailed([{ path: 'afterId', message: 'not an open deal of that stage' }]);
    const aroundBefore = beforeId ? await this.deals.keysAround(tenantId, place, id, beforeId, 'before') : undefined;
    if (beforeId && !aroundBefore) throw validationFailed([{ path: 'beforeId', message: 'not an open deal of that stage' }]);
    const low = aroundAfter ? aroundAfter.low : (aroundBefore?.low ?? null);
    const high = aroundBefore ? aroundBefore.high : (aroundAfter?.high ?? null);
    if (low !== null && high !== null && low >= high) throw validationFailed([{ path: 'beforeId', message: 'must come after afterId on the board' }]);
    return positionBetween(low, high);
  }
}
