import { Injectable } from '@nestjs/common';
import { MessagingSql } from './sql-client';

export interface NewOutboxRow {
  id: string;
  type: string;
  routingKey: string;
  tenantId: string;
  subject?: string;
  envelope: string;
  headers: Record<string, string>;
}

export interface PendingOutboxRow {
  seq: string;
  id: string;
  type: string;
  routingKey: string;
  envelope: string;
  headers: string;
}

/** The only place that reads and writes the outbox_message table. */
@Injectable()
export class OutboxRepository {
  constructor(private readonly sql: MessagingSql) {}

  /**
   * Inserts in the current transaction. No NOTIFY: Postgres serialises the commits of every
   * transaction that notifies, which capped publishing at a few hundred transactions a second.
   */
  async add(row: NewOutboxRow): Promise<void> {
    await this.addAlong({ ctes: [], values: [] }, row);
  }

  /** After the caller's data-modifying CTEs, if any, in the same statement (see EventPublisher.publishAlong). */
  async addAlong(write: { ctes: string[]; values: unknown[] }, row: NewOutboxRow): Promise<void> {
    const n = write.values.length;
    await this.sql.client.$executeRawUnsafe(
      `${write.ctes.length ? `WITH ${write.ctes.join(',\n')}\n` : ''}INSERT INTO outbox_message (id, type, routing_key, tenant_id, subject, envelope, headers)
       VALUES ($${n + 1}::uuid, $${n + 2}, $${n + 3}, $${n + 4}, $${n + 5}, $${n + 6}::jsonb, $${n + 7}::jsonb)`,
      ...write.values,
      row.id,
      row.type,
      row.routingKey,
      row.tenantId,
      row.subject ?? null,
      row.envelope,
      JSON.stringify(row.headers),
    );
  }

  /** Several rows with one statement, inserted (and so numbered) in the given order. */
  async addMany(rows: NewOutboxRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.sql.client.$executeRawUnsafe(
      `INSERT INTO outbox_message (id, type, routing_key, tenant_id, subject, envelope, headers)
       SELECT id, type, routing_key, tenant_id, subject, envelope::jsonb, headers::jsonb
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
              WITH ORDINALITY AS r(id, type, routing_key, tenant_id, subject, envelope, headers, n)
        ORDER BY n`,
      rows.map((r) => r.id),
      rows.map((r) => r.type),
      rows.map((r) => r.routingKey),
      rows.map((r) => r.tenantId),
      rows.map((r) => r.subject ?? null),
      rows.map((r) => r.envelope),
      rows.map((r) => JSON.stringify(r.headers)),
    );
  }

  /**
   * One relay at a time per database: the lock is held until the batch's transaction ends,
   * which keeps every entity's events in commit order across replicas.
   */
  async tryLockRelay(lockKey: string): Promise<boolean> {
    const rows = await this.sql.client.$queryRawUnsafe<{ locked: boolean }[]>(
      `SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked`,
      lockKey,
    );
    return rows[0]?.locked === true;
  }

  /**
   * The oldest unsent rows, in seq (commit) order. The ORDER BY names the table's columns:
   * a bare `seq` would mean the text output column and sort '10' before '9' (the last event of
   * a batch went out first). `sent_at` first lets the (sent_at, seq) index return the rows
   * already ordered and stop at the limit; ordered by seq alone, a backlog makes Postgres walk
   * the primary key past every sent row kept for the retention period (82 ms vs 0.4 ms a batch
   * with 100k pending behind 300k sent).
   */
  async pending(limit: number): Promise<PendingOutboxRow[]> {
    return this.sql.client.$queryRawUnsafe<PendingOutboxRow[]>(
      `SELECT seq::text AS seq, id::text AS id, type, routing_key AS "routingKey",
              envelope::text AS envelope, headers::text AS headers
         FROM outbox_message WHERE sent_at IS NULL
        ORDER BY outbox_message.sent_at, outbox_message.seq LIMIT $1`,
      limit,
    );
  }

  /** Whether anything waits, without a transaction or a lock: what an idle relay asks every poll. */
  async hasPending(): Promise<boolean> {
    const rows = await this.sql.client.$queryRawUnsafe<{ pending: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM outbox_message WHERE sent_at IS NULL) AS pending`,
    );
    return rows[0]?.pending === true;
  }

  async markSent(seqs: string[]): Promise<void> {
    await this.sql.client.$executeRawUnsafe(
      `UPDATE outbox_message SET sent_at = now(), attempts = attempts + 1 WHERE seq = ANY($1::bigint[])`,
      seqs,
    );
  }

  async pendingStats(): Promise<{ count: number; oldestAgeSeconds: number }> {
    const rows = await this.sql.client.$queryRawUnsafe<{ count: number; age: number | null }[]>(
      `SELECT count(*)::int AS count, EXTRACT(EPOCH FROM now() - min(created_at))::float8 AS age
         FROM outbox_message WHERE sent_at IS NULL`,
    );
    return { count: rows[0]?.count ?? 0, oldestAgeSeconds: rows[0]?.age ?? 0 };
  }

  async deleteSentBefore(ageMs: number): Promise<number> {
    return this.sql.client.$executeRawUnsafe(
      `DELETE FROM outbox_message WHERE sent_at < now() - make_interval(secs => $1)`,
      ageMs / 1000,
    );
  }
}
