import { Injectable } from '@nestjs/common';
import { type Selectable, sql } from 'kysely';
import type { BusinessHours, SlaPolicy, TicketSla, TicketStatusChange } from '../generated/kysely/database';
import { Database } from '../infrastructure/database/database';

export type BusinessHoursRow = Selectable<BusinessHours>;
export type SlaPolicyRow = Selectable<SlaPolicy>;
export type TicketSlaRow = Selectable<TicketSla>;
export type StatusChangeRow = Selectable<TicketStatusChange>;

export interface TicketSlaValues {
  metric: 'first_response' | 'resolution';
  policyId: string;
  targetMinutes: number;
  warnShare: number;
  dueAt: Date | null;
  warnAt: Date | null;
  fulfilledAt: Date | null;
}

/** Business hours, SLA policies, tickets' status histories and their SLA timers; tenant-scoped except the timer claims. */
@Injectable()
export class SlaRepository {
  constructor(private readonly db: Database) {}

  businessHours(tenantId: string): Promise<BusinessHoursRow | undefined> {
    return this.db.selectFrom('business_hours').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst();
  }

  /**
   * Inserts or replaces at `expectedVersion` (undefined: any); undefined when the version moved on.
   * A tenant that never set its hours has the defaults as version 1: the first hours saved are 2.
   */
  putBusinessHours(
    tenantId: string,
    hours: { timeZone: string; weekly: unknown; publicHolidays: unknown; closedDates: string[] },
    expectedVersion: number | undefined,
    at: Date,
  ): Promise<BusinessHoursRow | undefined> {
    const values = {
      time_zone: hours.timeZone,
      weekly: JSON.stringify(hours.weekly),
      public_holidays: hours.publicHolidays === null ? null : JSON.stringify(hours.publicHolidays),
      closed_dates: hours.closedDates,
      updated_at: at,
    };
    return this.db
      .insertInto('business_hours')
      .values({ tenant_id: tenantId, ...values, version: 2 })
      .onConflict((oc) =>
        oc
          .column('tenant_id')
          .doUpdateSet({ ...values, version: sql`business_hours.version + 1` })
          .where((eb) => (expectedVersion === undefined ? eb.val(true) : eb('business_hours.version', '=', expectedVersion))),
      )
      .returningAll()
      .executeTakeFirst();
  }

  /** Undefined when the tenant has a policy for that priority already. */
  insertPolicy(row: Omit<SlaPolicyRow, 'version'>): Promise<SlaPolicyRow | undefined> {
    return this.db.insertInto('sla_policy').values(row).onConflict((oc) => oc.columns(['tenant_id', 'priority']).doNothing()).returningAll().executeTakeFirst();
  }

  policies(tenantId: string): Promise<SlaPolicyRow[]> {
    return this.db.selectFrom('sla_policy').selectAll().where('tenant_id', '=', tenantId).orderBy('created_at').execute();
  }

  policyFor(tenantId: string, priority: string): Promise<SlaPolicyRow | undefined> {
    return this.db.selectFrom('sla_policy').selectAll().where('tenant_id', '=', tenantId).where('priority', '=', priority).executeTakeFirst();
  }

  async deletePolicy(tenantId: string, id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('sla_policy').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** The status at a version of the ticket (a version seen twice is kept once). */
  async recordStatus(tenantId: string, ticketId: string, version: number, status: string, at: Date): Promise<void> {
    await this.db
      .insertInto('ticket_status_change')
      .values({ ticket_id: ticketId, version, tenant_id: tenantId, status, at })
      .onConflict((oc) => oc.columns(['ticket_id', 'version']).doNothing())
      .execute();
  }

  history(tenantId: string, ticketId: string): Promise<StatusChangeRow[]> {
    return this.db
      .selectFrom('ticket_status_change')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('ticket_id', '=', ticketId)
      .orderBy('at')
      .orderBy('version')
      .execute();
  }

  timers(tenantId: string, ticketId: string): Promise<TicketSlaRow[]> {
    return this.db.selectFrom('ticket_sla').selectAll().where('tenant_id', '=', tenantId).where('ticket_id', '=', ticketId).execute();
  }

  async saveTimer(tenantId: string, ticketId: string, timer: TicketSlaValues): Promise<void> {
    const values = {
      policy_id: timer.policyId,
      target_minutes: timer.targetMinutes,
      warn_share: timer.warnShare,
      due_at: timer.dueAt,
      warn_at: timer.warnAt,
      fulfilled_at: timer.fulfilledAt,
    };
    await this.db
      .insertInto('ticket_sla')
      .values({ ticket_id: ticketId, metric: timer.metric, tenant_id: tenantId, ...values })
      .onConflict((oc) => oc.columns(['ticket_id', 'metric']).doUpdateSet(values))
      .execute();
  }

  /** The ticket's earliest running due time (the inbox's order); derived, so the ticket's version stays. */
  async setTicketDue(tenantId: string, ticketId: string, dueAt: Date | null): Promise<void> {
    await this.db.updateTable('ticket').set({ sla_due_at: dueAt }).where('tenant_id', '=', tenantId).where('id', '=', ticketId).execute();
  }

  /**
   * Timers with a warning or a breach due by `now`, leased until `leaseUntil` (SKIP LOCKED: replicas
   * share them; a crashed replica's lease runs out and another takes them).
   */
  async claimDue(now: Date, leaseUntil: Date, limit: number): Promise<TicketSlaRow[]> {
    const { rows } = await sql<TicketSlaRow>`
      UPDATE ticket_sla SET leased_until = ${leaseUntil}
      WHERE (ticket_id, metric) IN (
        SELECT ticket_id, metric FROM ticket_sla
        WHERE ((warn_at <= ${now} AND warned_at IS NULL) OR (due_at <= ${now} AND breached_at IS NULL))
          AND fulfilled_at IS NULL AND (leased_until IS NULL OR leased_until < ${now})
        ORDER BY LEAST(warn_at, due_at) LIMIT ${limit} FOR UPDATE SKIP LOCKED)
      RETURNING *`.execute(this.db);
    return rows;
  }

  async markFired(ticketId: string, metric: string, fired: { warnedAt?: Date; breachedAt?: Date }): Promise<void> {
    await this.db
      .updateTable('ticket_sla')
      .set({
        leased_until: null,
        ...(fired.warnedAt && { warned_at: fired.warnedAt }),
        ...(fired.breachedAt && { breached_at: fired.breachedAt, warned_at: sql`coalesce(warned_at, ${fired.breachedAt})` }),
      })
      .where('ticket_id', '=', ticketId)
      .where('metric', '=', metric)
      .execute();
  }

  async release(ticketId: string, metric: string): Promise<void> {
    await this.db.updateTable('ticket_sla').set({ leased_until: null }).where('ticket_id', '=', ticketId).where('metric', '=', metric).execute();
  }
}
