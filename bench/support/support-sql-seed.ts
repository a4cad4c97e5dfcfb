import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';

/**
 * Tickets for bench/support-tickets.bench.ts, written with SQL straight into the support-tickets
 * database (generate_series: seconds, where the API would take minutes; no events): `tickets`
 * spread round-robin over `groups` groups, half open, a fifth new, the rest pending, solved or
 * closed; the open and new ones with an SLA due time within the next week (the inbox's order),
 * then VACUUM ANALYZE.
 */
export async function seedTicketsSql(databaseUrl: string, o: { tenantId: string; tickets: number; groups: number }): Promise<{ seconds: number; groupIds: string[] }> {
  const db = new Client({ connectionString: databaseUrl });
  const t0 = performance.now();
  const groupIds = Array.from({ length: o.groups }, () => randomUUID());
  try {
    await db.connect();
    await db.query(
      `INSERT INTO ticket (id, tenant_id, number, subject, channel, status, priority, group_id, tags, version, created_at, updated_at, sla_due_at)
       SELECT gen_random_uuid(), $1, 100000 + g, 'Bench ticket ' || g, 'email',
              CASE WHEN g % 10 < 5 THEN 'open' WHEN g % 10 < 7 THEN 'new' WHEN g % 10 = 7 THEN 'pending' WHEN g % 10 = 8 THEN 'solved' ELSE 'closed' END,
              (ARRAY['low','normal','high','urgent'])[g % 4 + 1], ($2::uuid[])[g % cardinality($2::uuid[]) + 1], '{}', 1,
              now() - make_interval(mins => g % 100000), now(),
              CASE WHEN g % 10 < 7 THEN now() + make_interval(secs => (g * 7919) % 604800) END
       FROM generate_series(1, $3::int) g`,
      [o.tenantId, groupIds, o.tickets],
    );
    await db.query('VACUUM ANALYZE ticket');
  } finally {
    await db.end();
  }
  return { seconds: (performance.now() - t0) / 1000, groupIds };
}

/**
 * `count` SLA timers on existing tickets of the tenant, due evenly over [from, from + spreadMs):
 * the timer row is all the runner reads (with the ticket); no policy, so a breach escalates nothing.
 * Only on the SQL-seeded tickets (no requester address): the inbound rows' tickets still get events
 * meanwhile (their senders identified and linked), and the SLA tracker recomputing their timers
 * took seeded timers away before they fired (counted as unfired in two earlier runs).
 */
export async function seedDueTimersSql(databaseUrl: string, o: { tenantId: string; count: number; from: Date; spreadMs: number }): Promise<void> {
  const db = new Client({ connectionString: databaseUrl });
  try {
    await db.connect();
    await db.query(
      `INSERT INTO ticket_sla (ticket_id, metric, tenant_id, policy_id, target_minutes, warn_share, due_at)
       SELECT t.id, 'resolution', $1, gen_random_uuid(), 240, 0.75,
              $2::timestamptz + make_interval(secs => (row_number() OVER (ORDER BY t.id) - 1) * $3::float8 / $4::int / 1000)
       FROM (SELECT id FROM ticket WHERE tenant_id = $1 AND requester_email IS NULL ORDER BY id LIMIT $4::int) t`,
      [o.tenantId, o.from, o.spreadMs, o.count],
    );
    await db.query('VACUUM ANALYZE ticket_sla');
  } finally {
    await db.end();
  }
}

/** Lateness of each fired timer behind its due time, in ms (breached_at - due_at), and how many are still unfired. */
export async function timerLateness(databaseUrl: string): Promise<{ fired: number[]; unfired: number }> {
  const db = new Client({ connectionString: databaseUrl });
  try {
    await db.connect();
    const { rows } = await db.query<{ late: number | null }>(
      `SELECT extract(epoch FROM (breached_at - due_at)) * 1000 AS late FROM ticket_sla WHERE metric = 'resolution' AND target_minutes = 240`,
    );
    const unfired = rows.filter((r) => r.late === null).length;
    return { fired: rows.filter((r) => r.late !== null).map((r) => Number(r.late)), unfired };
  } finally {
    await db.end();
  }
}
