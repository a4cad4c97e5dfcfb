import { randomUUID } from 'node:crypto';
import { Kysely, sql } from 'kysely';

export interface DueEnrolments {
  tenantId: string;
  sequenceId: string;
  templateId: string;
  /** The recipients' addresses, `<prefix>-<n>@example.test`. */
  addresses: string[];
}

/**
 * A sequence of one marketing send and `count` subscribed contacts enrolled in it, due at `dueAt`
 * (or spread over `spreadMs` from it), written by set-based SQL straight into the service's tables:
 * the crash test and the benchmark need thousands at once, which the bus would take minutes to
 * bring. `waiting` more enrolments of other contacts are due far in the future.
 */
export async function seedDueEnrolments(
  db: Kysely<unknown>,
  options: { count: number; dueAt: Date; spreadMs?: number; waiting?: number; addressPrefix?: string },
): Promise<DueEnrolments> {
  const tenantId = `tenant-${randomUUID()}`;
  const sequenceId = randomUUID();
  const templateId = randomUUID();
  const prefix = options.addressPrefix ?? `r${randomUUID().slice(0, 8)}`;
  const total = options.count + (options.waiting ?? 0);
  const spread = options.spreadMs ?? 0;
  await sql`
    INSERT INTO email_template (id, tenant_id, name, purpose, subject, html)
    VALUES (${templateId}::uuid, ${tenantId}, 'Offer', 'marketing', 'An offer for {{ contact.firstName }}',
      '<p>Hello {{ contact.firstName }}, 10% off your next order. <a href="https://shop.example/offer">Shop</a> <a href="{{ unsubscribe_url }}">Unsubscribe</a></p>')`.execute(
    db,
  );
  await sql`
    INSERT INTO sequence (id, tenant_id, name, enabled, time_zone, current_version)
    VALUES (${sequenceId}::uuid, ${tenantId}, 'Offer', true, 'UTC', 1)`.execute(db);
  await sql`
    INSERT INTO sequence_version (id, tenant_id, sequence_id, number, steps, exit_on)
    VALUES (${randomUUID()}::uuid, ${tenantId}, ${sequenceId}::uuid, 1,
      ${JSON.stringify([{ type: 'sendEmail', templateId }])}::jsonb, ARRAY['unsubscribed', 'purchased']::text[])`.execute(db);
  await sql`
    INSERT INTO contact_copy (id, tenant_id, first_name, last_name, email, version)
    SELECT gen_random_uuid(), ${tenantId}, 'Reader' || n, 'Load', ${prefix} || '-' || n || '@example.test', 1
    FROM generate_series(1, ${total}) AS n`.execute(db);
  await sql`
    INSERT INTO email_consent (tenant_id, contact_id, status, source, changed_at)
    SELECT tenant_id, id, 'subscribed', 'import', now() - interval '1 day' FROM contact_copy WHERE tenant_id = ${tenantId}`.execute(db);
  // The first `count` contacts by address number are due; the rest wait a year.
  await sql`
    INSERT INTO sequence_enrolment (id, tenant_id, sequence_id, sequence_version, contact_id, status, next_step, due_at, source_kind, source_id, enrolled_at)
    SELECT gen_random_uuid(), c.tenant_id, ${sequenceId}::uuid, 1, c.id, 'active', 0,
      CASE WHEN n.n <= ${options.count}
        THEN ${options.dueAt}::timestamptz + ((n.n - 1) * ${spread}::float8 / GREATEST(${options.count}, 1)) * interval '1 millisecond'
        ELSE ${options.dueAt}::timestamptz + interval '365 days' END,
      'manual', 'load', ${options.dueAt}::timestamptz - interval '1 hour'
    FROM contact_copy c
    JOIN LATERAL (SELECT substring(c.email FROM '-([0-9]+)@')::int AS n) n ON true
    WHERE c.tenant_id = ${tenantId}`.execute(db);
  return { tenantId, sequenceId, templateId, addresses: Array.from({ length: options.count }, (_, i) => `${prefix}-${i + 1}@example.test`) };
}
