import { DummyDriver, Generated, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';

/**
 * The outbox_message columns a publisher writes, as Kysely insert values. Every service's schema
 * has the table (the Prisma model OutboxMessage), so its generated Kysely types accept these
 * values: a service composes them into its own statement (EventPublisher.publishAlong).
 * `envelope` and `headers` are JSON text, which Postgres reads into their jsonb columns.
 */
export interface OutboxMessageValues {
  id: string;
  type: string;
  routing_key: string;
  tenant_id: string;
  subject: string | null;
  envelope: string;
  headers: string;
}

/** The table as far as this library writes it. */
export interface OutboxTables {
  outbox_message: OutboxMessageValues;
}

/** The bus tables as the relay reads, marks and expires them. */
interface BusTables {
  outbox_message: OutboxMessageValues & { seq: Generated<string>; created_at: Generated<Date>; sent_at: Date | null; attempts: Generated<number> };
  inbox_message: { received_at: Date };
  command_inbox: { received_at: Date };
}

/**
 * Builds (never runs) this library's own statements on the bus tables: they run through the
 * caller's transaction client (MessagingSql) or the relay's pool, whatever the service has.
 */
export const outboxStatements = new Kysely<BusTables>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});
