import { Injectable } from '@nestjs/common';
import { Deal, dealLost, dealWon, DomainError } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { DealLookup } from '../deal-lookup';
import { toDeal } from '../deal.mapper';
import { DealRepository } from '../deal.repository';

/** Won or lost (with a reason): only an open deal closes; it leaves the board and its stage visit ends. */
@Injectable()
export class CloseDealService {
  constructor(
    private readonly lookup: DealLookup,
    private readonly deals: DealRepository,
    private readonly events: EventPublisher,
  ) {}

  @Transactional()
  async close(
    tenantId: string,
    id: string,
    expectedVersion: number | undefined,
    outcome: { status: 'won' } | { status: 'lost'; reason: string },
  ): Promise<Deal> {
    const before = await this.lookup.locked(tenantId, id, expectedVersion);
    if (before.status !== 'open') throw new DomainError('CONFLICT', `The deal is ${before.status} already.`);
    const now = new Date();
    const row = await this.deals.update(tenantId, id, before.version, {
      status: outcome.status,
      lost_reason: outcome.status === 'lost' ? outcome.reason : null,
      closed_at: now,
      updated_at: now,
    });
    if (!row) throw new DomainError('PRECONDITION_FAILED', 'The deal changed meanwhile; read it again.');
    await this.deals.leaveStage(tenantId, id, now);
    const deal = toDeal(row);
    await this.events.publish(outcome.status === 'won' ? dealWon : dealLost, { deal }, { tenantId, subject: id, entityVersion: deal.version });
    return deal;
  }
}
