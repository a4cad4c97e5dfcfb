import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { SqlClient } from '../../outbox/sql-client';

/** The only place that reads and writes the command_inbox table. */
@Injectable()
export class CommandInboxRepository {
  constructor(private readonly txHost: TransactionHost) {}

  /** The command's transaction (nestjs-cls over the service's pg pool or Prisma client). */
  private get db(): SqlClient {
    return this.txHost.tx as unknown as SqlClient;
  }

  /**
   * Takes the request id in the current transaction without a reply: false means a copy of the
   * request committed it. Waits for a copy whose transaction holds it uncommitted.
   */
  async claim(consumer: string, requestId: string, type: string): Promise<boolean> {
    const inserted = await this.db.$executeRawUnsafe(
      `INSERT INTO command_inbox (consumer, request_id, type) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      consumer,
      requestId,
      type,
    );
    return inserted === 1;
  }

  /**
   * The reply the command was answered with, kept in the same transaction as its writes. False
   * means a copy of the request committed first (a copy holding the id uncommitted is waited for):
   * this copy's writes must roll back. ON CONFLICT finds the row through the primary key whatever
   * the planner thinks of the table.
   */
  async saveReply(consumer: string, requestId: string, type: string, reply: unknown): Promise<boolean> {
    const inserted = await this.db.$executeRawUnsafe(
      `INSERT INTO command_inbox (consumer, request_id, type, reply) VALUES ($1, $2, $3, $4::jsonb) ON CONFLICT DO NOTHING`,
      consumer,
      requestId,
      type,
      JSON.stringify(reply ?? null),
    );
    return inserted === 1;
  }

  /**
   * As saveReply, in the round trip of the transaction's COMMIT where the client can (pg
   * transactions; false otherwise, and nothing is done). A plain insert: a copy of the request
   * that committed first fails it with a unique violation, which rolls this copy's writes back
   * (the command then answers as any failed one: the stored reply if a copy committed); a copy
   * holding the id uncommitted is waited for.
   */
  saveReplyAtCommit(consumer: string, requestId: string, type: string, reply: unknown): boolean {
    const db = this.db;
    if (!db.withCommit) return false;
    db.withCommit(`INSERT INTO command_inbox (consumer, request_id, type, reply) VALUES ($1, $2, $3, $4::jsonb)`, [
      consumer,
      requestId,
      type,
      JSON.stringify(reply ?? null),
    ]);
    return true;
  }

  async storedReply(consumer: string, requestId: string): Promise<unknown> {
    const rows = await this.db.$queryRawUnsafe<{ reply: unknown }[]>(
      `SELECT reply FROM command_inbox WHERE consumer = $1 AND request_id = $2`,
      consumer,
      requestId,
    );
    return rows[0]?.reply ?? null;
  }

  /** Rows must outlive the longest redelivery window (requests expire after their timeout). */
  async deleteOlderThan(ageMs: number): Promise<number> {
    return this.db.$executeRawUnsafe(`DELETE FROM command_inbox WHERE received_at < now() - make_interval(secs => $1)`, ageMs / 1000);
  }
}
