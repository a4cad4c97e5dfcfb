import { Client } from 'pg';

/**
 * Counts the way RabbitMQ's Jepsen checker does: the truth is the set of committed outbox ids
 * in the publisher's database; the result is the consumer's inbox rows and effects.
 */
export interface DeliveryReport {
  committed: number;
  received: number;
  lost: number;
  unexpected: number;
  /** Events whose effect was applied more than once: must be 0. */
  appliedMoreThanOnce: number;
  effects: number;
}

export async function query<T>(url: string, sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, values)).rows as T[];
  } finally {
    await client.end();
  }
}

export async function deliveryReport(publisherDb: string, consumerDb: string, consumer: string): Promise<DeliveryReport> {
  const truth = new Set((await query<{ id: string }>(publisherDb, 'SELECT id::text AS id FROM outbox_message')).map((r) => r.id));
  const inbox = new Set(
    (await query<{ id: string }>(consumerDb, 'SELECT event_id::text AS id FROM inbox_message WHERE consumer = $1', [consumer])).map((r) => r.id),
  );
  const effects = await query<{ id: string; n: number }>(consumerDb, 'SELECT event_id::text AS id, count(*)::int AS n FROM lab_effect GROUP BY event_id');
  return {
    committed: truth.size,
    received: inbox.size,
    lost: [...truth].filter((id) => !inbox.has(id)).length,
    unexpected: [...inbox].filter((id) => !truth.has(id)).length,
    appliedMoreThanOnce: effects.filter((e) => e.n > 1).length,
    effects: effects.reduce((sum, e) => sum + e.n, 0),
  };
}

export async function countRows(url: string, sql: string, values: unknown[] = []): Promise<number> {
  const rows = await query<{ n: number }>(url, sql, values);
  return Number(rows[0]?.n ?? 0);
}

export async function waitFor(description: string, condition: () => Promise<boolean>, timeoutMs = 60_000, intervalMs = 250): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      // A condition that never settles must fail the wait, not hang the test.
      const settled = await Promise.race([
        condition(),
        new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), Math.max(deadline - Date.now(), 1)).unref()),
      ]);
      if (settled === 'hung') throw new Error('the check itself did not answer');
      if (settled) return;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
}
