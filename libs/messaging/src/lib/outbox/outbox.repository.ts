import { Injectable } from '@nestjs/common';
import { CompiledQuery, sql } from 'kysely';
import { MessagingSql } from './sql-client';
import { OutboxMessageValues, outboxStatements } from './outbox-table';

export interface NewOutboxRow {
  id: string;
  type: string;
  routingKey: string;
  tenantId: string;
  subject?: string;
  envelope: string;
  headers: Record<string, string>;
}

/** A row as the outbox_message insert values (what a caller's own statement inserts, see EventPublisher.publishAlong). */
export function outboxValues(row: NewOutboxRow): OutboxMessageValues {
  return {
    id: row.id,
    type: row.type,
    routing_key: row.routingKey,
    tenant_id: row.tenantId,
    subject: row.subject ?? null,
    envelope: row.envelope,
    headers: JSON.stringify(row.headers),
  };
}

/** The columns a publisher writes, in the order of the one-row insert's parameters. */
const COLUMNS = ['id', 'type', 'routing_key', 'tenant_id', 'subject', 'envelope', 'headers'] as const satisfies readonly (keyof OutboxMessageValues)[];
const INSERT_ONE = `INSERT INTO outbox_message (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`;

/** A compiled statement (Kysely's CompiledQuery has this shape): its text and its parameters. */
export interface OutboxStatement {
  readonly sql: string;
  readonly parameters: readonly unknown[];
}

/** Writes outbox rows in the caller's transaction (the relay reads and marks them: RelayRepository). */
@Injectable()
export class OutboxRepository {
  constructor(private readonly sql: MessagingSql) {}

  /**
   * Inserts in the current transaction: with its COMMIT where the transaction's client can carry
   * statements there (pg transactions; one round trip fewer per event published), else at once.
   * Either way the row is numbered (seq) inside the transaction, after the rows of earlier
   * statements. No NOTIFY: Postgres serialises the commits of every transaction that notifies,
   * which capped publishing at a few hundred transactions a second.
   */
  add(row: NewOutboxRow): Promise<void> {
    const values = outboxValues(row);
    return this.runWithCommit({ sql: INSERT_ONE, parameters: COLUMNS.map((column) => values[column]) });
  }

  /**
   * Runs a caller's statement that writes an outbox row too (EventPublisher.publishWithCommit):
   * sent with the COMMIT where the transaction's client can carry it there, else at once.
   */
  async runWithCommit(statement: OutboxStatement): Promise<void> {
    const db = this.sql.client;
    if (db.withCommit && this.sql.isInTransaction()) {
      db.withCommit(statement.sql, [...statement.parameters]);
      return;
    }
    await db.$executeRawUnsafe(statement.sql, ...statement.parameters);
  }

  /** Several rows with one statement, inserted (and so numbered) in the given order. */
  async addMany(rows: NewOutboxRow[]): Promise<void> {
    if (rows.length === 0) return;
    // Rows add() held for the COMMIT are sent ahead of this statement (PgSqlClient): numbered first.
    const values = rows.map(outboxValues);
    const column = <K extends keyof OutboxMessageValues>(key: K) => values.map((v) => v[key]);
    // One statement text whatever the batch size: columns as arrays, unnested in order.
    const statement = outboxStatements
      .insertInto('outbox_message')
      .columns(['id', 'type', 'routing_key', 'tenant_id', 'subject', 'envelope', 'headers'])
      .expression(
        sql<OutboxMessageValues>`SELECT id, type, routing_key, tenant_id, subject, envelope::jsonb, headers::jsonb
          FROM unnest(${column('id')}::uuid[], ${column('type')}::text[], ${column('routing_key')}::text[], ${column('tenant_id')}::text[],
                      ${column('subject')}::text[], ${column('envelope')}::text[], ${column('headers')}::text[])
               WITH ORDINALITY AS r(id, type, routing_key, tenant_id, subject, envelope, headers, n)
          ORDER BY n`,
      );
    await this.run(statement.compile());
  }

  private async run(statement: CompiledQuery): Promise<void> {
    await this.sql.client.$executeRawUnsafe(statement.sql, ...statement.parameters);
  }
}
