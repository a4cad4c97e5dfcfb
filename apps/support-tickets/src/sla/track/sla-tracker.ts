import { Injectable } from '@nestjs/common';
import type { Ticket } from '@crm/contracts';
import { Clock } from '@crm/service-kit';
import { BusinessCalendar } from '../business-calendar';
import { slaClock } from '../sla-clock';
import { toBusinessHours } from '../sla.mapper';
import { SlaRepository, TicketSlaRow } from '../sla.repository';

const METRICS = [
  { metric: 'first_response', target: 'first_response_minutes' },
  { metric: 'resolution', target: 'resolution_minutes' },
] as const;

/**
 * Keeps each ticket's SLA timers in step with the ticket: from the service's own ticket events
 * (each version's status recorded once, in any order of arrival), the clock is worked out again
 * over the whole status history in the tenant's business hours, and the due and warning times are
 * stored for the timer runner. The policy is the one of the ticket's priority; a ticket moved to
 * another priority takes that policy's targets.
 */
@Injectable()
export class SlaTracker {
  constructor(
    private readonly sla: SlaRepository,
    private readonly clock: Clock,
  ) {}

  async track(tenantId: string, ticket: Ticket, firstPublicReplyAt: Date | null = null): Promise<void> {
    await this.sla.recordStatus(tenantId, ticket.id, ticket.version, ticket.status, new Date(ticket.updatedAt));
    const [policy, timers] = await Promise.all([this.sla.policyFor(tenantId, ticket.priority), this.sla.timers(tenantId, ticket.id)]);
    if (!policy && !timers.length) return;
    const [hours, history] = await Promise.all([this.sla.businessHours(tenantId), this.sla.history(tenantId, ticket.id)]);
    const calendar = new BusinessCalendar(toBusinessHours(hours));
    const now = this.clock.now();
    let earliest: Date | null = null;
    for (const { metric, target } of METRICS) {
      const existing: TicketSlaRow | undefined = timers.find((t) => t.metric === metric);
      const samePolicy = existing && (!policy || existing.policy_id === policy.id);
      const minutes = samePolicy ? existing.target_minutes : policy?.[target];
      const policyId = samePolicy ? existing.policy_id : policy?.id;
      if (!minutes || !policyId) continue;
      const warnShare = samePolicy ? existing.warn_share : (policy?.warn_share ?? 0.75);
      const fulfilledAt = metric === 'first_response' ? (existing?.fulfilled_at ?? firstPublicReplyAt) : null;
      const state = slaClock(
        calendar,
        history.map((h) => ({ at: h.at, status: h.status as never })),
        { minutes, warnShare, fulfilledAt },
        now,
      );
      const dueAt = fulfilledAt ? null : state.dueAt;
      await this.sla.saveTimer(tenantId, ticket.id, { metric, policyId, targetMinutes: minutes, warnShare, dueAt, warnAt: fulfilledAt ? null : state.warnAt, fulfilledAt });
      if (dueAt && (!earliest || dueAt < earliest)) earliest = dueAt;
    }
    await this.sla.setTicketDue(tenantId, ticket.id, earliest);
  }
}
