import { randomUUID } from 'node:crypto';
import { Actor, convertLead, createLead, createPipeline } from '@crm/contracts';
import { createTestDatabase, deleteTestBus, TestDatabase, testBusPrefix, testEnv, testGatewayKeyEnv, testKysely, testTokenFor } from '@crm/testing';
import { Kysely, sql } from 'kysely';
import { BusCaller } from '../../testing/bus-caller';
import { ChildService, spawnChildService } from '../../testing/child-service';

/**
 * A conversion killed half-way (SIGKILL: no clean-up runs) and retried creates nothing twice. The
 * sales-automation process kills itself right after the contacts service made the contact and
 * before the lead recorded it: the worst moment. The lead has no email or phone, so contacts'
 * duplicate check cannot find the first contact again: only the request id derived from the lead
 * (contacts' command inbox) keeps the retry from making a second one.
 */
describe('lead conversion: killed between the contact and the deal step, retried', () => {
  let contactsDb: TestDatabase;
  let salesDb: TestDatabase;
  let prefix: string;
  let caller: BusCaller | undefined;
  const children: ChildService[] = [];

  afterAll(async () => {
    await caller?.close();
    for (const child of children) await child.stop();
    await contactsDb?.drop();
    await salesDb?.drop();
    if (prefix) await deleteTestBus(prefix);
  }, 60_000);

  it('ends with exactly one contact and one deal, the lead converted to them', async () => {
    const env = await testEnv();
    [contactsDb, salesDb] = await Promise.all([createTestDatabase('contacts'), createTestDatabase('sales-automation')]);
    prefix = testBusPrefix();
    const common = { RABBITMQ_URL: env.rabbitmqUrl, REDIS_URL: env.redisUrl, LOG_LEVEL: 'error', BUS_NAME_PREFIX: prefix, ...testGatewayKeyEnv() };
    const contacts = spawnChildService('contacts', 'src/replicas/replica-process.ts', { ...common, CONTACTS_DATABASE_URL: contactsDb.url });
    const doomed = spawnChildService('sales-automation', 'src/testing/sales-automation-process.ts', {
      ...common,
      SALES_AUTOMATION_DATABASE_URL: salesDb.url,
      SALES_AUTOMATION_CONVERSION_CRASH_AFTER: 'contact',
    });
    children.push(contacts, doomed);
    await Promise.all([contacts.ready, doomed.ready]);
    caller = await BusCaller.connect(env.rabbitmqUrl, prefix);
    const bus = caller;

    const actor: Actor = { tenantId: randomUUID(), userId: randomUUID(), roles: ['sales'] };
    const token = testTokenFor(actor);
    await bus.data(createPipeline, { pipeline: { name: 'Sales', stages: [{ name: 'New', winProbability: 10 }] } }, token);
    const lead = await bus.data(createLead, { lead: { firstName: 'Ada', lastName: `Crash-${randomUUID()}`, source: 'manual' } }, token);
    const conversion = { id: lead.id, createDeal: { currency: 'EUR', amountMinor: 50_000 }, createCompany: false };

    // The first attempt dies with its process; its request stays unacknowledged on the queue.
    const firstAttempt = bus.call(convertLead, conversion, token, 120_000);
    expect(await doomed.exited).toBe('SIGKILL');
    const contactsAfterCrash = await contactCount(contactsDb.url, actor.tenantId);
    expect(contactsAfterCrash).toBe(1); // the contact step had happened: the crash came after it

    // A healthy replica starts: the broker redelivers the first attempt to it, and the caller retries too.
    const healthy = spawnChildService('sales-automation', 'src/testing/sales-automation-process.ts', { ...common, SALES_AUTOMATION_DATABASE_URL: salesDb.url });
    children.push(healthy);
    await healthy.ready;
    const retried = await bus.data(convertLead, conversion, token, 60_000);
    const redelivered = await firstAttempt;

    expect(retried.lead.status).toBe('converted');
    expect(retried.dealId).not.toBeNull();
    if (redelivered.ok) expect(redelivered.data).toMatchObject({ contactId: retried.contactId, dealId: retried.dealId });
    expect(await contactCount(contactsDb.url, actor.tenantId)).toBe(1);
    const sales = testKysely<{ deal: { id: string; tenant_id: string; lead_id: string | null; contact_id: string | null } }>(salesDb.url);
    try {
      const deals = await sales.selectFrom('deal').select(['id', 'contact_id']).where('tenant_id', '=', actor.tenantId).execute();
      expect(deals).toEqual([{ id: retried.dealId, contact_id: retried.contactId }]);
    } finally {
      await sales.destroy();
    }
  }, 240_000);
});

async function contactCount(url: string, tenantId: string): Promise<number> {
  const db: Kysely<unknown> = testKysely(url);
  try {
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM contact WHERE tenant_id = ${tenantId}`.execute(db);
    return rows[0].n;
  } finally {
    await db.destroy();
  }
}
