import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { slaBreached, slaWarning, TICKET_PRIORITIES, ticketMessageAdded, ticketUpdated } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Clock, JobScheduler, PollingLoop } from '@crm/service-kit';
import { Transactional } from '@nestjs-cls/transactional';
import { randomUUID } from 'node:crypto';
import { ClsService } from 'nestjs-cls';
import { AppConfig } from '../../app.config';
import { toTicket, toTicketMessage } from '../../tickets/ticket.mapper';
import { TicketRepository } from '../../tickets/ticket.repository';
import { SlaRepository, TicketSlaRow } from '../sla.repository';

/** The pg-boss job that fires due SLA timers every minute, whatever the replicas' polling does. */
export const SLA_TIMERS_JOB = 'support-tickets.sla-timers';
const LEASE_MS = 60_000;
const CONCURRENCY = 4;

/**
 * Fires SLA warnings and breaches when their time comes. The timers are rows of ticket_sla (due
 * and warning times), in the service's Postgres: they survive restarts, and replicas share them by
 * SKIP LOCKED and a lease. Each replica polls every SUPPORT_TICKETS_SLA_POLL_MS; a pg-boss job is
 * the backstop. A breach escalates as its policy says (raise the priority one step, move to a
 * group, a note asking for a manager) and publishes support-tickets.sla.breached.v1.
 */
@Injectable()
export class SlaTimerRunner implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SlaTimerRunner.name);
  private readonly loop: PollingLoop;
  private running: Promise<number> | undefined;

  constructor(
    private readonly sla: SlaRepository,
    private readonly tickets: TicketRepository,
    private readonly events: EventPublisher,
    private readonly scheduler: JobScheduler,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    cls: ClsService,
  ) {
    this.loop = new PollingLoop('sla timers', cls, config.SUPPORT_TICKETS_SLA_POLL_MS, () => this.fireDue());
  }

  onModuleInit(): void {
    this.scheduler.register({ name: SLA_TIMERS_JOB, cron: '* * * * *', run: () => this.fireDue() });
  }

  onApplicationBootstrap(): void {
    if (this.config.SUPPORT_TICKETS_JOBS_ENABLED) this.loop.start();
  }

  async onModuleDestroy(): Promise<void> {
    this.loop.stop();
    await this.running?.catch(() => undefined);
  }

  /** Fires every timer due by the clock's now, batch after batch; one pass at a time per replica. Answers how many fired. */
  fireDue(): Promise<number> {
    this.running ??= this.fireAll().finally(() => (this.running = undefined));
    return this.running;
  }

  private async fireAll(): Promise<number> {
    let fired = 0;
    for (;;) {
      const now = this.clock.now();
      const due = await this.sla.claimDue(now, new Date(now.getTime() + LEASE_MS), this.config.SUPPORT_TICKETS_SLA_BATCH);
      for (let i = 0; i < due.length; i += CONCURRENCY) {
        await Promise.all(due.slice(i, i + CONCURRENCY).map((timer) => this.fireOne(timer, now)));
      }
      fired += due.length;
      if (due.length < this.config.SUPPORT_TICKETS_SLA_BATCH) return fired;
    }
  }

  private async fireOne(timer: TicketSlaRow, now: Date): Promise<void> {
    try {
      await this.fire(timer, now);
    } catch (error) {
      // Left leased: another pass takes it once the lease runs out.
      this.logger.warn(`SLA timer ${timer.metric} of ticket ${timer.ticket_id} failed: ${(error as Error).message}`);
    }
  }

  @Transactional()
  private async fire(timer: TicketSlaRow, now: Date): Promise<void> {
    let ticket = await this.tickets.find(timer.tenant_id, timer.ticket_id);
    if (!ticket) return this.sla.markFired(timer.ticket_id, timer.metric, { breachedAt: now });
    const breach = timer.due_at && timer.due_at <= now && !timer.breached_at;
    const alert = { metric: timer.metric as 'first_response' | 'resolution', policyId: timer.policy_id, targetMinutes: timer.target_minutes };
    const meta = { tenantId: timer.tenant_id, subject: ticket.id };
    if (!breach) {
      await this.events.publish(slaWarning, { ticket: toTicket(ticket), ...alert, dueAt: (timer.due_at as Date).toISOString() }, { ...meta, entityVersion: ticket.version });
      return this.sla.markFired(timer.ticket_id, timer.metric, { warnedAt: now });
    }
    const policy = (await this.sla.policies(timer.tenant_id)).find((p) => p.id === timer.policy_id);
    const raisedPriorityTo = policy?.raise_priority ? nextPriority(ticket.priority) : null;
    const movedToGroupId = policy?.escalate_to_group_id && policy.escalate_to_group_id !== ticket.group_id ? policy.escalate_to_group_id : null;
    const changes = { ...(raisedPriorityTo && { priority: raisedPriorityTo }), ...(movedToGroupId && { groupId: movedToGroupId }) };
    if (Object.keys(changes).length) {
      const updated = await this.tickets.update(ticket.tenant_id, ticket.id, ticket.version, changes, now);
      if (!updated) throw new Error('the ticket changed meanwhile');
      ticket = updated;
      await this.events.publish(ticketUpdated, { ticket: toTicket(ticket), changed: Object.keys(changes) }, { ...meta, entityVersion: ticket.version });
    }
    const managerNotified = !!policy?.notify_manager;
    if (managerNotified) {
      const note = await this.tickets.insertMessage(
        ticket.tenant_id,
        {
          id: randomUUID(),
          ticketId: ticket.id,
          kind: 'internal',
          authorType: 'system',
          authorId: null,
          body: `SLA breached (${alert.metric.replace('_', ' ')}, ${timer.target_minutes} business minutes): a manager is asked to look at this ticket.`,
        },
        now,
      );
      const { body: _body, ...withoutBody } = toTicketMessage(note);
      await this.events.publish(ticketMessageAdded, { ticket: toTicket(ticket), message: withoutBody }, { ...meta, entityVersion: ticket.version });
    }
    await this.events.publish(
      slaBreached,
      { ticket: toTicket(ticket), ...alert, dueAt: (timer.due_at as Date).toISOString(), escalation: { raisedPriorityTo, movedToGroupId, managerNotified } },
      { ...meta, entityVersion: ticket.version },
    );
    await this.sla.markFired(timer.ticket_id, timer.metric, { breachedAt: now });
  }
}

function nextPriority(priority: string): (typeof TICKET_PRIORITIES)[number] | null {
  const at = TICKET_PRIORITIES.indexOf(priority as (typeof TICKET_PRIORITIES)[number]);
  return at >= 0 && at < TICKET_PRIORITIES.length - 1 ? TICKET_PRIORITIES[at + 1] : null;
}
