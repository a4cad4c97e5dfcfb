import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import { Actor, Contact, contactErased, deleteCompany, deleteContact, exportContact, getCompany, getContact, listContacts, logInteraction, restoreCompany, restoreContact } from '@crm/contracts';
import { createFastifyAdapter } from '@crm/observability';
import type { AppConfig } from '../app.config';
import { AppModule } from '../app.module';
import { JobScheduler } from '../infrastructure/jobs/job-scheduler';
import { Clock } from '../shared/clock';
import { ContactsTestContext, expectRemoteError } from '../testing/contacts-test-context';
import { PURGE_DELETED_JOB } from './purge-deleted/purge-deleted.job';

jest.setTimeout(90_000);

const DAY_MS = 24 * 3600_000;

/** The 30-day purge of soft-deleted contacts: a pg-boss job, run here with the clock moved instead of waiting. */
describe('purging soft-deleted contacts', () => {
  let ctx: ContactsTestContext;
  let db: Client;
  let actor: Actor;

  beforeAll(async () => {
    ctx = await ContactsTestContext.start();
    db = new Client({ connectionString: ctx.service.db.url });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await ctx?.close();
  });
  beforeEach(() => {
    actor = ctx.newActor();
  });
  afterEach(() => jest.restoreAllMocks());

  const rows = async (sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows;
  /** Runs the purge job's handler as pg-boss would, with "now" that many days from now. */
  async function purgeAt(app: { get: (token: typeof Clock | typeof JobScheduler) => unknown }, days: number): Promise<unknown> {
    const at = new Date(Date.now() + days * DAY_MS);
    jest.spyOn(app.get(Clock) as Clock, 'now').mockReturnValue(at);
    return (app.get(JobScheduler) as JobScheduler).handlerOf(PURGE_DELETED_JOB)();
  }
  const personal = (contact: Contact) => rows(
    `SELECT (SELECT count(*)::int FROM contact_email WHERE contact_id = $1) AS emails,
            (SELECT count(*)::int FROM contact_search_word WHERE contact_id = $1) AS words,
            (SELECT count(*)::int FROM interaction WHERE contact_id = $1) AS interactions,
            (SELECT erased_at IS NOT NULL FROM contact WHERE id = $1) AS erased`,
    [contact.id],
  );

  it('registers the purge with pg-boss when the app starts: a singleton queue and its schedule, in the service database', async () => {
    expect(await rows(`SELECT name, cron, timezone FROM pgboss.schedule`)).toEqual([{ name: PURGE_DELETED_JOB, cron: '30 3 * * *', timezone: 'UTC' }]);
    expect(await rows(`SELECT name, policy FROM pgboss.queue WHERE name = $1`, [PURGE_DELETED_JOB])).toEqual([{ name: PURGE_DELETED_JOB, policy: 'singleton' }]);
  });

  it('keeps a contact deleted 29 days ago; erases one deleted 31 days ago everywhere and publishes contact.erased', async () => {
    const contact = await ctx.newContact(actor, { firstName: 'Purgella', lastName: 'Oldie', emails: [{ address: 'purgella@old.example' }] });
    await ctx.call(logInteraction, { contactId: contact.id, interaction: { channel: 'note', body: 'private' } }, actor);
    await ctx.call(deleteContact, { id: contact.id }, actor);

    await purgeAt(ctx.service.app, 29);
    expect(await personal(contact)).toEqual([{ emails: 1, words: expect.any(Number), interactions: 1, erased: false }]);
    expect((await ctx.call(restoreContact, { id: contact.id }, actor)).deletedAt).toBeNull();
    await ctx.call(deleteContact, { id: contact.id }, actor);

    expect(await purgeAt(ctx.service.app, 31)).toEqual({ contacts: 1, companies: 0 });
    expect(await personal(contact)).toEqual([{ emails: 0, words: 0, interactions: 0, erased: true }]);
    expect(await rows(`SELECT id FROM contact WHERE id = $1 AND (first_name <> '' OR last_name IS NOT NULL)`, [contact.id])).toEqual([]);
    expect(await rows(`SELECT type FROM outbox_message WHERE subject = $1`, [contact.id])).toEqual([{ type: contactErased.name }]);
    expect(await rows(`SELECT id FROM outbox_message WHERE envelope::text ~* 'purgella'`)).toEqual([]);
    const event = await ctx.event((e) => e.type === contactErased.name && e.subject === contact.id);
    expect(event.data).toEqual({ contactId: contact.id, erasedAt: expect.any(String) });
    // Nothing left to do on the next run.
    expect(await purgeAt(ctx.service.app, 31)).toEqual({ contacts: 0, companies: 0 });
  });

  it('never purges a restored contact, nor a live one', async () => {
    const restored = await ctx.newContact(actor);
    const live = await ctx.newContact(actor);
    await ctx.call(deleteContact, { id: restored.id }, actor);
    await ctx.call(restoreContact, { id: restored.id }, actor);
    await purgeAt(ctx.service.app, 31);
    for (const contact of [restored, live]) expect((await ctx.call(getContact, { id: contact.id }, actor)).id).toBe(contact.id);
  });

  it('purges a company deleted 31 days ago to a tombstone no read finds; keeps one deleted 29 days ago', async () => {
    const company = await ctx.newCompany(actor, { name: 'Purgeworthy Holdings', domain: 'purgeworthy.example' });
    const contact = await ctx.newContact(actor, { companyId: company.id });
    await ctx.call(deleteCompany, { id: company.id }, actor);

    await purgeAt(ctx.service.app, 29);
    expect((await ctx.call(restoreCompany, { id: company.id }, actor)).name).toBe('Purgeworthy Holdings');
    await ctx.call(deleteCompany, { id: company.id }, actor);

    expect(await purgeAt(ctx.service.app, 31)).toMatchObject({ companies: 1 });
    await expectRemoteError(ctx.call(getCompany, { id: company.id }, actor), 'NOT_FOUND');
    await expectRemoteError(ctx.call(restoreCompany, { id: company.id }, actor), 'NOT_FOUND');
    expect((await ctx.call(exportContact, { id: contact.id }, actor)).company).toBeNull();
    expect((await ctx.call(listContacts, { filter: { q: 'purgeworthy' } }, actor)).data).toEqual([]);
    for (const table of ['company', 'company_search_word', 'search_word', 'contact', 'outbox_message']) {
      expect({ table, found: await rows(`SELECT t::text FROM ${table} t WHERE t::text ~* 'purgeworthy'`) }).toEqual({ table, found: [] });
    }
  });

  it('runs once across two instances of the app on one database', async () => {
    const second = await NestFactory.create<NestFastifyApplication>(AppModule.register(ctx.service.config as AppConfig), createFastifyAdapter(), { logger: ['error'] });
    await second.listen(0, '127.0.0.1');
    try {
      const contact = await ctx.newContact(actor);
      await ctx.call(deleteContact, { id: contact.id }, actor);
      const at = new Date(Date.now() + 31 * DAY_MS);
      for (const app of [ctx.service.app, second]) jest.spyOn(app.get(Clock), 'now').mockReturnValue(at);
      const before = await rows(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1`, [PURGE_DELETED_JOB]);

      // Both ask for a run at once, as both their cron monitors would at the same tick.
      const ids = await Promise.all([ctx.service.app, second].map((app) => app.get(JobScheduler).trigger(PURGE_DELETED_JOB)));

      expect(ids.filter((id) => id !== null)).toHaveLength(1);
      const [jobId] = ids.filter((id): id is string => id !== null);
      for (let tries = 0; ; tries++) {
        const [job] = await rows(`SELECT state FROM pgboss.job WHERE id = $1`, [jobId]);
        if (job?.state === 'completed') break;
        if (tries > 300) throw new Error(`purge job still ${job?.state}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(await rows(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1`, [PURGE_DELETED_JOB])).toEqual([{ n: before[0].n + 1 }]);
      expect(await rows(`SELECT type FROM outbox_message WHERE subject = $1`, [contact.id])).toEqual([{ type: contactErased.name }]);
    } finally {
      await second.close();
    }
  });
});
