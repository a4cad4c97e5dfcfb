import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Kysely, sql } from 'kysely';
import {
  Actor,
  Contact,
  contactErased,
  deleteCompany,
  deleteContact,
  exportContact,
  getCompany,
  getContact,
  listContacts,
  logInteraction,
  restoreCompany,
  restoreContact,
} from '@crm/contracts';
import { createFastifyAdapter } from '@crm/observability';
import { testKysely } from '@crm/testing';
import type { AppConfig } from '../app.config';
import { AppModule } from '../app.module';
import type { DB } from '../generated/kysely/database';
import { Clock, JobScheduler } from '@crm/service-kit';
import { ContactsTestContext, expectRemoteError } from '../testing/contacts-test-context';
import { PURGE_DELETED_JOB } from './purge-deleted/purge-deleted.job';

const DAY_MS = 24 * 3600_000;

/** The pg-boss tables this spec looks at (pg-boss owns them; they are not in the Prisma schema). */
interface PgBossTables {
  'pgboss.schedule': { name: string; cron: string; timezone: string };
  'pgboss.queue': { name: string; policy: string };
  'pgboss.job': { id: string; name: string; state: string };
}

/** The 30-day purge of soft-deleted contacts: a pg-boss job, run here with the clock moved instead of waiting. */
describe('purging soft-deleted contacts', () => {
  let ctx: ContactsTestContext;
  let db: Kysely<DB & PgBossTables>;
  let actor: Actor;

  beforeAll(async () => {
    ctx = await ContactsTestContext.start();
    db = testKysely<DB & PgBossTables>(ctx.service.db.url);
  });
  afterAll(async () => {
    await db?.destroy();
    await ctx?.close();
  });
  beforeEach(() => {
    actor = ctx.newActor();
  });
  afterEach(() => jest.restoreAllMocks());

  /** Runs the purge job's handler as pg-boss would, with "now" that many days from now. */
  async function purgeAt(app: { get: (token: typeof Clock | typeof JobScheduler) => unknown }, days: number): Promise<unknown> {
    const at = new Date(Date.now() + days * DAY_MS);
    jest.spyOn(app.get(Clock) as Clock, 'now').mockReturnValue(at);
    return (app.get(JobScheduler) as JobScheduler).handlerOf(PURGE_DELETED_JOB)();
  }
  const count = sql<number>`count(*)::int`;
  const personal = (contact: Contact) =>
    db
      .selectNoFrom((eb) => [
        eb.selectFrom('contact_email').select(count.as('n')).where('contact_id', '=', contact.id).$asScalar().as('emails'),
        eb.selectFrom('contact_search_word').select(count.as('n')).where('contact_id', '=', contact.id).$asScalar().as('words'),
        eb.selectFrom('interaction').select(count.as('n')).where('contact_id', '=', contact.id).$asScalar().as('interactions'),
        eb
          .selectFrom('contact')
          .select((row) => row('erased_at', 'is not', null).as('erased'))
          .where('id', '=', contact.id)
          .$asScalar()
          .as('erased'),
      ])
      .execute();
  /** Rows of `table` whose text matches `pattern` (case-insensitive regular expression). */
  const rowsMatching = async (table: string, pattern: string) =>
    (await sql<{ t: string }>`SELECT t::text FROM ${sql.table(table)} t WHERE t::text ~* ${pattern}`.execute(db)).rows;

  it('registers the purge with pg-boss when the app starts: a singleton queue and its schedule, in the service database', async () => {
    expect(await db.selectFrom('pgboss.schedule').select(['name', 'cron', 'timezone']).execute()).toEqual([
      { name: PURGE_DELETED_JOB, cron: '30 3 * * *', timezone: 'UTC' },
    ]);
    expect(await db.selectFrom('pgboss.queue').select(['name', 'policy']).where('name', '=', PURGE_DELETED_JOB).execute()).toEqual([
      { name: PURGE_DELETED_JOB, policy: 'singleton' },
    ]);
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
    expect(
      await db
        .selectFrom('contact')
        .select('id')
        .where('id', '=', contact.id)
        .where((eb) => eb.or([eb('first_name', '<>', ''), eb('last_name', 'is not', null)]))
        .execute(),
    ).toEqual([]);
    expect(await db.selectFrom('outbox_message').select('type').where('subject', '=', contact.id).execute()).toEqual([{ type: contactErased.name }]);
    expect(
      await db
        .selectFrom('outbox_message')
        .select('id')
        .where((eb) => eb(eb.cast<string>('envelope', 'text'), '~*', 'purgella'))
        .execute(),
    ).toEqual([]);
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
      expect({ table, found: await rowsMatching(table, 'purgeworthy') }).toEqual({ table, found: [] });
    }
  });

  it('runs once across two instances of the app on one database', async () => {
    const second = await NestFactory.create<NestFastifyApplication>(AppModule.register(ctx.service.config as AppConfig), createFastifyAdapter(), {
      logger: ['error'],
    });
    await second.listen(0, '127.0.0.1');
    try {
      const contact = await ctx.newContact(actor);
      await ctx.call(deleteContact, { id: contact.id }, actor);
      const at = new Date(Date.now() + 31 * DAY_MS);
      for (const app of [ctx.service.app, second]) jest.spyOn(app.get(Clock), 'now').mockReturnValue(at);
      const jobs = () => db.selectFrom('pgboss.job').select(count.as('n')).where('name', '=', PURGE_DELETED_JOB).execute();
      const before = await jobs();

      // Both ask for a run at once, as both their cron monitors would at the same tick.
      const ids = await Promise.all([ctx.service.app, second].map((app) => app.get(JobScheduler).trigger(PURGE_DELETED_JOB)));

      expect(ids.filter((id) => id !== null)).toHaveLength(1);
      const [jobId] = ids.filter((id): id is string => id !== null);
      for (let tries = 0; ; tries++) {
        const [job] = await db.selectFrom('pgboss.job').select('state').where('id', '=', jobId).execute();
        if (job?.state === 'completed') break;
        if (tries > 300) throw new Error(`purge job still ${job?.state}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(await jobs()).toEqual([{ n: before[0].n + 1 }]);
      expect(await db.selectFrom('outbox_message').select('type').where('subject', '=', contact.id).execute()).toEqual([{ type: contactErased.name }]);
    } finally {
      await second.close();
    }
  });
});
