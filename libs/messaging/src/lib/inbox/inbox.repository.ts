import { Injectable } from '@nestjs/common';
import { MessagingSql } from '../outbox/sql-client';

/** The only place that reads and writes the inbox_message table. */
@Injectable()
export class InboxRepository {
  constructor(private readonly sql: MessagingSql) {}

  /**
   * Records the event in the current transaction. False means this consumer already applied
   * it (a concurrent duplicate waits on the row lock, then sees the committed row).
   */
  async tryRecord(consumer: string, eventId: string, type: string): Promise<boolean> {
    const inserted = await this.sql.client.$executeRawUnsafe(
      `INSERT INTO inbox_message (consumer, event_id, type) VALUES ($1, $2::uuid, $3) ON CONFLICT DO NOTHING`,
      consumer,
      eventId,
      type,
    );
    return inserted === 1;
  }

  /**
   * Records several events in the current transaction with one statement. Returns the ids it
   * inserted: the events this consumer had not applied yet (concurrent duplicates wait on the
   * row locks, then see the committed rows).
   */
  async recordMany(consumer: string, events: { eventId: string; type: string }[]): Promise<Set<string>> {
    const rows = await this.sql.client.$queryRawUnsafe<{ id: string }[]>(
      `INSERT INTO inbox_message (consumer, event_id, type)
       SELECT $1, e.id, e.type FROM unnest($2::uuid[], $3::text[]) AS e(id, type)
       ON CONFLICT DO NOTHING RETURNING event_id::text AS id`,
      consumer,
      events.map((e) => e.eventId),
      events.map((e) => e.type),
    );
    return new Set(rows.map((r) => r.id));
  }

  /** Inbox rows must outlive the longest redelivery window (NServiceBus keeps 7 days). */
  async deleteOlderThan(ageMs: number): Promise<number> {
    return this.sql.client.$executeRawUnsafe(`DELETE FROM inbox_message WHERE received_at < now() - make_interval(secs => $1)`, ageMs / 1000);
  }
}
