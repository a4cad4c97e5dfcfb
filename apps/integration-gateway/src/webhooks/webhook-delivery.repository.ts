import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import type { ChangeRow } from '../changes/change-log.repository';
import { Database } from '../infrastructure/database/database';

export interface DueDelivery {
  id: string;
  tenantId: string;
  subscriptionId: string;
  changeSeq: string;
  eventId: string;
  attempts: number;
  retryBase: number;
  url: string;
  secret: string;
}

export interface DeliveryLogEntry {
  id: string;
  eventId: string;
  eventType: string;
  status: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
  calls: { attempt: number; at: string; statusCode: number | null; durationMs: number; error: string | null }[];
}

/** The subscription's event types (exact names or prefixes ending in `*`) match the change's type. */
const matches = sql<boolean>`EXISTS (SELECT 1 FROM unnest(s.event_types) AS p WHERE p = c.type OR (right(p, 1) = '*' AND starts_with(c.type, left(p, -1))))`;

/** Webhook deliveries (one per change and subscription, durable) and their attempts. */
@Injectable()
export class WebhookDeliveryRepository {
  constructor(private readonly db: Database) {}

  /** A delivery for every appended change an active subscription of its tenant asks for (one statement). */
  async enqueueFor(changes: ChangeRow[]): Promise<number> {
    if (changes.length === 0) return 0;
    const seqs = changes.map((c) => c.seq);
    const result = await sql`
      INSERT INTO webhook_delivery (id, tenant_id, subscription_id, change_seq, event_id, event_type, next_attempt_at)
      SELECT gen_random_uuid(), c.tenant_id, s.id, c.seq, c.event_id, c.type, now()
      FROM change_log c
      JOIN webhook_subscription s ON s.tenant_id = c.tenant_id AND s.status = 'active' AND s.deleted_at IS NULL
      WHERE c.seq = ANY(${seqs}::bigint[]) AND ${matches}
      ORDER BY c.seq
      ON CONFLICT (subscription_id, event_id) DO NOTHING`.execute(this.db);
    return Number(result.numAffectedRows ?? 0);
  }

  /**
   * Claims up to `limit` due deliveries of active subscriptions (FOR UPDATE SKIP LOCKED: replicas
   * share the work) by moving their next attempt `leaseMs` ahead: a replica that dies while
   * sending leaves them due again then. Call inside a transaction.
   */
  async claimDue(limit: number, leaseMs: number): Promise<DueDelivery[]> {
    const result = await sql<{
      id: string;
      tenant_id: string;
      subscription_id: string;
      change_seq: string;
      event_id: string;
      attempts: number;
      retry_base: number;
      url: string;
      secret: string;
    }>`
      WITH due AS (
        SELECT d.id FROM webhook_delivery d
        JOIN webhook_subscription s ON s.id = d.subscription_id AND s.status = 'active' AND s.deleted_at IS NULL
        WHERE d.status = 'pending' AND d.next_attempt_at <= now()
        ORDER BY d.next_attempt_at, d.change_seq
        LIMIT ${limit}
        FOR UPDATE OF d SKIP LOCKED
      )
      UPDATE webhook_delivery d SET next_attempt_at = now() + make_interval(secs => ${leaseMs / 1000})
      FROM due, webhook_subscription s
      WHERE d.id = due.id AND s.id = d.subscription_id
      RETURNING d.id, d.tenant_id, d.subscription_id, d.change_seq::text AS change_seq, d.event_id, d.attempts, d.retry_base, s.url, s.secret`.execute(this.db);
    return result.rows
      .map((r) => ({
        id: r.id,
        tenantId: r.tenant_id,
        subscriptionId: r.subscription_id,
        changeSeq: r.change_seq,
        eventId: r.event_id,
        attempts: r.attempts,
        retryBase: r.retry_base,
        url: r.url,
        secret: r.secret,
      }))
      .sort((a, b) => (BigInt(a.changeSeq) < BigInt(b.changeSeq) ? -1 : 1));
  }

  /** One call's outcome: the attempt logged, the delivery delivered, due again at `nextAttemptAt`, or failed (null). */
  async recordAttempt(
    delivery: Pick<DueDelivery, 'id' | 'attempts'>,
    call: { statusCode: number | null; durationMs: number; error: string | null; delivered: boolean; nextAttemptAt: Date | null },
  ): Promise<void> {
    const attempt = delivery.attempts + 1;
    await this.db
      .with('attempt', (q) =>
        q.insertInto('webhook_attempt').values({ delivery_id: delivery.id, attempt, status_code: call.statusCode, duration_ms: call.durationMs, error: call.error }),
      )
      .updateTable('webhook_delivery')
      .set({
        attempts: attempt,
        last_attempt_at: new Date(),
        last_status_code: call.statusCode,
        last_error: call.error,
        status: call.delivered ? 'delivered' : call.nextAttemptAt ? 'pending' : 'failed',
        next_attempt_at: call.delivered ? null : call.nextAttemptAt,
        delivered_at: call.delivered ? new Date() : null,
      })
      .where('id', '=', delivery.id)
      .execute();
  }

  /** The subscription's deliveries, newest first, with their calls. */
  async log(tenantId: string, subscriptionId: string, limit: number): Promise<DeliveryLogEntry[]> {
    const rows = await this.db
      .selectFrom('webhook_delivery')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('subscription_id', '=', subscriptionId)
      .orderBy('created_at', 'desc')
      .orderBy('change_seq', 'desc')
      .limit(limit)
      .execute();
    const calls =
      rows.length === 0
        ? []
        : await this.db
            .selectFrom('webhook_attempt')
            .selectAll()
            .where(
              'delivery_id',
              'in',
              rows.map((r) => r.id),
            )
            .orderBy('attempt')
            .execute();
    const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
    return rows.map((r) => ({
      id: r.id,
      eventId: r.event_id,
      eventType: r.event_type,
      status: r.status,
      attempts: r.attempts,
      nextAttemptAt: iso(r.next_attempt_at),
      lastAttemptAt: iso(r.last_attempt_at),
      lastStatusCode: r.last_status_code,
      lastError: r.last_error,
      deliveredAt: iso(r.delivered_at),
      createdAt: new Date(r.created_at).toISOString(),
      calls: calls
        .filter((c) => c.delivery_id === r.id)
        .map((c) => ({ attempt: c.attempt, at: new Date(c.at).toISOString(), statusCode: c.status_code, durationMs: c.duration_ms, error: c.error })),
    }));
  }

  /** Sends one delivery again now, with a fresh retry schedule. False when the subscription has no such delivery. */
  async replay(tenantId: string, subscriptionId: string, deliveryId: string): Promise<boolean> {
    const result = await this.db
      .updateTable('webhook_delivery')
      .set({ status: 'pending', next_attempt_at: new Date(), retry_base: sql`attempts`, delivered_at: null })
      .where('tenant_id', '=', tenantId)
      .where('subscription_id', '=', subscriptionId)
      .where('id', '=', deliveryId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Sends again every change of the tenant recorded in [from, to) that the subscription asks for (new deliveries where there were none). */
  async replayRange(tenantId: string, subscriptionId: string, from: Date, to: Date): Promise<number> {
    const result = await sql`
      INSERT INTO webhook_delivery (id, tenant_id, subscription_id, change_seq, event_id, event_type, next_attempt_at)
      SELECT gen_random_uuid(), c.tenant_id, s.id, c.seq, c.event_id, c.type, now()
      FROM change_log c
      JOIN webhook_subscription s ON s.tenant_id = c.tenant_id AND s.id = ${subscriptionId}::uuid AND s.deleted_at IS NULL
      WHERE c.tenant_id = ${tenantId} AND c.recorded_at >= ${from} AND c.recorded_at < ${to} AND ${matches}
      ORDER BY c.seq
      ON CONFLICT (subscription_id, event_id) DO UPDATE
        SET status = 'pending', next_attempt_at = now(), retry_base = webhook_delivery.attempts, delivered_at = NULL`.execute(this.db);
    return Number(result.numAffectedRows ?? 0);
  }
}
