import { Injectable } from '@nestjs/common';
import { Query, RelayDatabase } from './relay-database';

export interface PendingOutboxRow {
  seq: string;
  id: string;
  type: string;
  routingKey: string;
  envelope: string;
  headers: string;
}

/** The relay's statements on outbox_message (rows are added by OutboxRepository in the callers' transactions). */
@Injectable()
export class RelayRepository {
  constructor(private readonly db: RelayDatabase) {}

  /** Runs `fn` in one transaction of the relay's own, with that transaction's statements. */
  batch<T>(fn: (batch: RelayBatchStatements) => Promise<T>): Promise<T> {
    return this.db.transaction((query) => fn(new RelayBatchStatements(query)));
  }

  /** Whether anything waits, without a transaction or a lock: what an idle relay asks every poll. */
  async hasPending(): Promise<boolean> {
    const rows = await this.db.query<{ pending: boolean }>(`SELECT EXISTS (SELECT 1 FROM outbox_message WHERE sent_at IS NULL) AS pending`);
    return rows[0]?.pending === true;
  }

  async pendingStats(): Promise<{ count: number; oldestAgeSeconds: number }> {
    const rows = await this.db.query<{ count: number; age: number | null }>(
      `SELECT count(*)::int AS count, EXTRACT(EPOCH FROM now() - min(created_at))::float8 AS age
         FROM outbox_message WHERE sent_at IS NULL`,
    );
    return { count: rows[0]?.count ?? 0, oldestAgeSeconds: rows[0]?.age ?? 0 };
  }

  /**
   * Deletes what the bus no longer needs: sent outbox rows, inbox rows past the longest
   * redelivery window, and stored command replies (they hold personal data; a redelivery comes
   * within minutes of the original, so a day is ample).
   */
  async deleteExpired(retention: { sentOutboxMs: number; inboxMs: number; commandRepliesMs: number }): Promise<void> {
    const olderThan = (ms: number) => [ms / 1000];
    await this.db.query(`DELETE FROM outbox_message WHERE sent_at < now() - make_interval(secs => $1)`, olderThan(retention.sentOutboxMs));
    await this.db.query(`DELETE FROM inbox_message WHERE received_at < now() - make_interval(secs => $1)`, olderThan(retention.inboxMs));
    await this.db.query(`DELETE FROM command_inbox WHERE received_at < now() - make_interval(secs => $1)`, olderThan(retention.commandRepliesMs));
  }
}

/** The statements of one relay batch, all in its transaction. */
export class RelayBatchStatements {
  constructor(private readonly query: Query) {}

  /**
   * One relay at a time per database: the lock is held until the batch's transaction ends,
   * which keeps every entity's events in commit order across replicas.
   */
  async tryLock(lockKey: string): Promise<boolean> {
    const rows = await this.query<{ locked: boolean }>(`SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked`, [lockKey]);
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
  pending(limit: number): Promise<PendingOutboxRow[]> {
    return this.query<PendingOutboxRow>(
      `SELECT seq::text AS seq, id::text AS id, type, routing_key AS "routingKey",
              envelope::text AS envelope, headers::text AS headers
         FROM outbox_message WHERE sent_at IS NULL
        ORDER BY outbox_message.sent_at, outbox_message.seq LIMIT $1`,
      [limit],
    );
  }

  async markSent(seqs: string[]): Promise<void> {
    await this.query(`UPDATE outbox_message SET sent_at = now(), attempts = attempts + 1 WHERE seq = ANY($1::bigint[])`, [seqs]);
  }
}
