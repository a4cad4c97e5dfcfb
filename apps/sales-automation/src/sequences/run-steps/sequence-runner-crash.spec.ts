import { createTestDatabase, deleteTestBus, pollUntil, TestDatabase, testBusPrefix, testEnv, testGatewayKeyEnv, testKysely } from '@crm/testing';
import { Kysely, sql } from 'kysely';
import { ChildService, spawnChildService } from '../../testing/child-service';
import { CountingSmtp } from '../../testing/counting-smtp';
import { seedDueEnrolments } from '../../testing/sequence-fixtures';

const RECIPIENTS = 1_000;
/** The kill comes once this many messages were accepted: well inside the step, never at its end. */
const KILL_AFTER = 300;

/**
 * The runner killed (SIGKILL: no clean-up runs) while a 1,000-contact step is on the wire, then a
 * fresh process: every contact gets the email, and the duplicates (the same Message-ID accepted
 * twice by the SMTP server) are at most the messages in flight at the kill: sends claimed (their
 * email_send row written, "sending") but not yet recorded as sent, and of those only the ones the
 * relay had accepted (accepted sends are recorded every 10). The relay is slowed (20 ms a message,
 * 5 pooled connections) so the kill lands mid-batch.
 */
describe('sequence runner: killed while a 1,000-contact step is sending, restarted', () => {
  let database: TestDatabase;
  let db: Kysely<unknown>;
  let smtp: CountingSmtp;
  let prefix: string;
  const children: ChildService[] = [];

  afterAll(async () => {
    for (const child of children) await child.stop();
    await db?.destroy();
    await smtp?.close();
    await database?.drop();
    if (prefix) await deleteTestBus(prefix);
  }, 60_000);

  it('sends every contact the email, with no more duplicates than were in flight at the kill', async () => {
    const env = await testEnv();
    database = await createTestDatabase('sales-automation');
    db = testKysely(database.url);
    smtp = await CountingSmtp.start({ delayMs: 20 });
    prefix = testBusPrefix();
    const seeded = await seedDueEnrolments(db, { count: RECIPIENTS, dueAt: new Date() });
    const serviceEnv = {
      RABBITMQ_URL: env.rabbitmqUrl,
      REDIS_URL: env.redisUrl,
      LOG_LEVEL: 'error',
      BUS_NAME_PREFIX: prefix,
      ...testGatewayKeyEnv(),
      SALES_AUTOMATION_DATABASE_URL: database.url,
      SALES_AUTOMATION_SMTP_URL: smtp.url,
      SALES_AUTOMATION_JOBS_ENABLED: 'true',
      SALES_AUTOMATION_SEQUENCE_POLL_MS: '100',
      SALES_AUTOMATION_SEQUENCE_LEASE_SECONDS: '5',
    };

    const doomed = spawnChildService('sales-automation', 'src/testing/sales-automation-process.ts', serviceEnv);
    children.push(doomed);
    await doomed.ready;
    await until(() => smtp.accepted.length >= KILL_AFTER, 60_000);
    doomed.child.kill('SIGKILL');
    expect(await doomed.exited).toBe('SIGKILL');
    // A message whose data the relay was still holding is accepted after the sender died: let those land first.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const acceptedAtKill = smtp.accepted.length;
    const sendsAtKill = await sendCounts(db, seeded.tenantId);
    // In flight: claimed for sending (a Message-ID given to SMTP, or about to be) but not recorded as
    // sent; of those, the ones SMTP had accepted are the only ones a retry can duplicate.
    const inFlight = sendsAtKill.sending;
    const acceptedNotRecorded = acceptedAtKill - sendsAtKill.sent;
    expect(acceptedAtKill).toBeLessThan(RECIPIENTS);

    const healthy = spawnChildService('sales-automation', 'src/testing/sales-automation-process.ts', serviceEnv);
    children.push(healthy);
    await healthy.ready;
    const everyone = new Set(seeded.addresses);
    await until(() => new Set(smtp.accepted.map((m) => m.to)).size >= everyone.size, 90_000);
    await until(async () => (await remaining(db, seeded.tenantId)) === 0, 30_000);

    const received = new Set(smtp.accepted.map((m) => m.to));
    expect([...everyone].filter((address) => !received.has(address))).toEqual([]);
    const byMessageId = new Map<string, number>();
    for (const mail of smtp.accepted) byMessageId.set(mail.messageId, (byMessageId.get(mail.messageId) ?? 0) + 1);
    const duplicates = smtp.accepted.length - byMessageId.size;
    // One Message-ID per contact: a retried send carries the one of its first try.
    expect(byMessageId.size).toBe(RECIPIENTS);
    console.log(
      `crash test: ${RECIPIENTS} recipients; accepted before the kill ${acceptedAtKill}; recorded sent at the kill ${sendsAtKill.sent}; ` +
        `in flight (claimed, not recorded) ${inFlight}, of which accepted by SMTP ${acceptedNotRecorded}; duplicates after restart ${duplicates}; ` +
        `total accepted ${smtp.accepted.length}`,
    );
    expect(duplicates).toBeLessThanOrEqual(acceptedNotRecorded);
    expect(acceptedNotRecorded).toBeLessThanOrEqual(inFlight);

    // Each enrolment ran its step once: one history row, succeeded, and it is completed.
    const { rows } = await sql<{ steps: number; completed: number; enrolments: number }>`
      SELECT count(s.id)::int AS steps, count(*) FILTER (WHERE e.status = 'completed')::int AS completed, count(DISTINCT e.id)::int AS enrolments
      FROM sequence_enrolment e LEFT JOIN sequence_enrolment_step s ON s.enrolment_id = e.id AND s.type = 'sendEmail' AND s.status = 'succeeded'
      WHERE e.tenant_id = ${seeded.tenantId}`.execute(db);
    expect(rows[0]).toEqual({ steps: RECIPIENTS, completed: RECIPIENTS, enrolments: RECIPIENTS });
  }, 240_000);
});

async function sendCounts(db: Kysely<unknown>, tenantId: string): Promise<{ sending: number; sent: number }> {
  const { rows } = await sql<{ status: string; n: number }>`
    SELECT status, count(*)::int AS n FROM email_send WHERE tenant_id = ${tenantId} GROUP BY status`.execute(db);
  const of = (status: string) => rows.find((r) => r.status === status)?.n ?? 0;
  return { sending: of('sending'), sent: of('sent') };
}

/** Enrolments not yet completed. */
async function remaining(db: Kysely<unknown>, tenantId: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM sequence_enrolment WHERE tenant_id = ${tenantId} AND status <> 'completed'`.execute(db);
  return rows[0].n;
}

/** Waits until `done` holds; throws after `timeoutMs` (a bounded wait, the assertions follow). */
const until = (done: () => boolean | Promise<boolean>, timeoutMs: number): Promise<true> =>
  pollUntil('the wait', async () => ((await done()) ? true : undefined), timeoutMs, 20);
