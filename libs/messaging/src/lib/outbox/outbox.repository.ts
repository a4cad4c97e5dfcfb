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

/** Writes outbox rows in the caller's transaction (the relay reads and marks them: RelayRepository). */
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
}
