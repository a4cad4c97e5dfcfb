import { randomUUID } from 'node:crypto';
import { Kysely, sql } from 'kysely';
import {
  Actor,
  contactErased,
  createContact,
  deleteContact,
  eraseContact,
  exportContact,
  getContact,
  listContacts,
  listInteractions,
  logInteraction,
  mergeContacts,
  restoreContact,
  updateContact,
} from '@crm/contracts';
import { testKysely } from '@crm/testing';
import type { DB } from '../../generated/kysely/database';
import { ContactsTestContext, expectRemoteError } from '../../testing/contacts-test-context';

describe('erasing a contact', () => {
  let ctx: ContactsTestContext;
  let actor: Actor;
  let db: Kysely<DB>;

  beforeAll(async () => {
    ctx = await ContactsTestContext.start();
    db = testKysely<DB>(ctx.service.db.url);
  });
  afterAll(async () => {
    await db?.destroy();
    await ctx?.close();
  });
  beforeEach(() => {
    actor = ctx.newActor();
  });

  /** Waits until the relay has sent every outbox row about these subjects (erasure scrubs sent rows only). */
  async function sentAbout(subjects: string[], count: number): Promise<void> {
    for (let tries = 0; ; tries++) {
      const [{ sent, unsent }] = await db
        .selectFrom('outbox_message')
        .select((eb) => [
          eb.cast<number>(eb.fn.countAll().filterWhere('sent_at', 'is not', null), 'integer').as('sent'),
          eb.cast<number>(eb.fn.countAll().filterWhere('sent_at', 'is', null), 'integer').as('unsent'),
        ])
        .where('subject', 'in', subjects)
        .execute();
      if (sent === count && unsent === 0) return;
      if (tries > 200) throw new Error(`outbox rows about ${subjects.join(', ')}: ${sent} sent, ${unsent} unsent`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('leaves nothing readable: contact, timeline, search, lists, duplicates, restore; sent events scrubbed; erased published', async () => {
    const company = await ctx.newCompany(actor, { name: 'Acme Bank' });
    const contact = await ctx.newContact(actor, {
      firstName: 'Zelda',
      lastName: 'Zebrafish',
      emails: [{ address: 'zelda@private.example' }],
      phones: [{ number: '+1 555 0199' }],
      companyId: company.id,
      tags: ['secret'],
    });
    const updated = await ctx.call(updateContact, { id: contact.id, patch: { title: 'Spy' } }, actor);
    const call = await ctx.call(logInteraction, { contactId: contact.id, interaction: { channel: 'call', subject: 'Her health', body: 'private' } }, actor);
    const bystander = await ctx.newContact(actor, { firstName: 'Bystander', lastName: 'Innocent' });
    await sentAbout([contact.id, call.id], 3);
    await sentAbout([bystander.id], 1);

    const reply = await ctx.call(eraseContact, { id: contact.id }, actor);

    expect(reply).toEqual({ id: contact.id, erasedAt: expect.any(String) });
    await expectRemoteError(ctx.call(getContact, { id: contact.id }, actor), 'NOT_FOUND');
    await expectRemoteError(ctx.call(restoreContact, { id: contact.id }, actor), 'NOT_FOUND');
    await expectRemoteError(ctx.call(updateContact, { id: contact.id, patch: { title: 'Back' } }, actor), 'NOT_FOUND');
    await expectRemoteError(ctx.call(listInteractions, { contactId: contact.id }, actor), 'NOT_FOUND');
    await expectRemoteError(ctx.call(logInteraction, { contactId: contact.id, interaction: { channel: 'note' } }, actor), 'NOT_FOUND');
    await expectRemoteError(ctx.call(eraseContact, { id: contact.id }, actor), 'NOT_FOUND');
    for (const filter of [{}, { includeDeleted: true }, { q: 'zelda' }, { q: 'zebrafish' }, { q: '5550199' }, { tag: 'secret' }, { companyId: company.id }]) {
      expect((await ctx.call(listContacts, { filter }, actor)).data.map((c) => c.id)).not.toContain(contact.id);
    }
    // In the database: a tombstone, no children, no timeline, no sent events about it or its interactions.
    expect(
      await db
        .selectFrom('contact')
        .select((eb) => [
          'first_name',
          'last_name',
          'title',
          'tags',
          'custom_fields',
          'email_list',
          'phone_list',
          'company_id',
          eb('erased_at', 'is not', null).as('erased'),
          // The contract JSON lists hand on is the tombstone's too (its trigger), nothing of the person left in it.
          sql<boolean>`contract_json ILIKE ANY (ARRAY['%zelda%', '%zebrafish%', '%secret%', '%0199%'])`.as('json_names_them'),
        ])
        .where('id', '=', contact.id)
        .execute(),
    ).toEqual([
      {
        first_name: '',
        last_name: null,
        title: null,
        tags: [],
        custom_fields: {},
        email_list: [],
        phone_list: [],
        company_id: null,
        erased: true,
        json_names_them: false,
      },
    ]);
    expect(
      await db
        .selectFrom('contact_email')
        .select('id')
        .where('contact_id', '=', contact.id)
        .unionAll(db.selectFrom('contact_phone').select('id').where('contact_id', '=', contact.id))
        .execute(),
    ).toEqual([]);
    expect(await db.selectFrom('interaction').select('id').where('contact_id', '=', contact.id).execute()).toEqual([]);
    // No search words: its links are gone, and so are the words nobody else in the tenant has.
    expect(await db.selectFrom('contact_search_word').select('word').where('contact_id', '=', contact.id).execute()).toEqual([]);
    expect(await db.selectFrom('search_word').select('word').where('tenant_id', '=', actor.tenantId).orderBy('word').execute()).toEqual(
      ['acme', 'bank', 'bystander', 'innocent'].map((word) => ({ word })),
    );
    // Only the erasure's own event is left about them (it carries no personal data).
    expect(await db.selectFrom('outbox_message').select('type').where('subject', 'in', [contact.id, call.id]).execute()).toEqual([
      { type: contactErased.name },
    ]);
    expect(
      await db
        .selectFrom('outbox_message')
        .select('id')
        .where((eb) =>
          eb.or([eb(eb.cast<string>('envelope', 'text'), 'like', '%zelda@private%'), eb(eb.cast<string>('envelope', 'text'), 'like', '%Her health%')]),
        )
        .execute(),
    ).toEqual([]);
    // Other contacts' events are left alone.
    expect(await db.selectFrom('outbox_message').select('type').where('subject', '=', bystander.id).execute()).toEqual([
      { type: 'contacts.contact.created.v1' },
    ]);

    // Its address and name match nothing any more: a new Zelda is created, no CONFLICT.
    await ctx.call(
      createContact,
      { contact: { firstName: 'Zelda', lastName: 'Zebrafish', emails: [{ address: 'zelda@private.example' }], companyId: company.id } },
      actor,
    );

    const event = await ctx.event((e) => e.type === contactErased.name && e.subject === contact.id);
    expect(event).toMatchObject({ tenantid: actor.tenantId, entityversion: updated.version + 1, data: { contactId: contact.id, erasedAt: reply.erasedAt } });
  });

  it('follows merges: every contact merged into the erased one (transitively) is erased too, and nothing holds their data', async () => {
    const survivor = await ctx.newContact(actor, { firstName: 'Astrid', lastName: 'Survivorsen' });
    const duplicate = await ctx.newContact(actor, {
      firstName: 'Brunhilde',
      lastName: 'Mergeling',
      title: 'Duplicate',
      emails: [{ address: 'brunhilde@merged.example' }],
      phones: [{ number: '+1 555 0142' }],
      addresses: [{ city: 'Mergetown' }],
      tags: ['dupetag'],
    });
    const older = await ctx.newContact(actor, { firstName: 'Cunegonde', lastName: 'Oldmerge', emails: [{ address: 'cunegonde@merged.example' }] }, true);
    await ctx.call(logInteraction, { contactId: duplicate.id, interaction: { channel: 'call', subject: 'Brunhilde secrets', body: 'private' } }, actor);
    // older → duplicate, then duplicate → survivor: erasing the survivor must reach both.
    await ctx.call(mergeContacts, { id: duplicate.id, mergedId: older.id }, actor);
    await ctx.call(mergeContacts, { id: survivor.id, mergedId: duplicate.id }, actor);
    const bystander = await ctx.newContact(actor, { firstName: 'Bystander', lastName: 'Innocent' });
    await sentAbout([bystander.id], 1);

    await ctx.call(eraseContact, { id: survivor.id }, actor);

    for (const contact of [duplicate, older]) {
      await expectRemoteError(ctx.call(getContact, { id: contact.id }, actor), 'NOT_FOUND');
      await expectRemoteError(ctx.call(exportContact, { id: contact.id }, actor), 'NOT_FOUND');
      await expectRemoteError(ctx.call(restoreContact, { id: contact.id }, actor), 'NOT_FOUND');
      await expectRemoteError(ctx.call(eraseContact, { id: contact.id }, actor), 'NOT_FOUND');
    }
    for (const filter of [{ includeDeleted: true }, { q: 'brunhilde' }, { q: 'mergeling' }, { q: 'cunegonde' }, { q: '5550142' }, { tag: 'dupetag' }]) {
      expect((await ctx.call(listContacts, { filter }, actor)).data.map((c) => c.id)).toEqual(filter.includeDeleted ? [bystander.id] : []);
    }
    // No row of any table of the service holds their names, addresses, phone or timeline.
    const tables = (
      await db
        .withTables<{ pg_tables: { schemaname: string; tablename: string } }>()
        .selectFrom('pg_tables')
        .select('tablename')
        .where('schemaname', '=', 'public')
        .where('tablename', 'not like', '\\_%')
        .execute()
    ).map((r) => r.tablename);
    expect(tables).toEqual(
      expect.arrayContaining(['contact', 'contact_email', 'contact_phone', 'interaction', 'search_word', 'contact_search_word', 'outbox_message']),
    );
    for (const table of tables) {
      const found = (
        await sql<{
          row: string;
        }>`SELECT t::text AS row FROM ${sql.table(table)} t WHERE t::text ~* ${'brunhilde|mergeling|cunegonde|oldmerge|astrid|survivorsen|5550142|mergetown|dupetag|duplicate'}`.execute(
          db,
        )
      ).rows;
      expect({ table, found }).toEqual({ table, found: [] });
    }
    const ids = [survivor.id, duplicate.id, older.id];
    expect(await db.selectFrom('contact').select('id').where('id', 'in', ids).where('erased_at', 'is', null).execute()).toEqual([]);
    // An erased event for each of them, and nothing else about them in the outbox.
    expect(
      (await db.selectFrom('outbox_message').select(['subject', 'type']).where('subject', 'in', ids).orderBy('subject').execute()).map((r) => [
        r.subject,
        r.type,
      ]),
    ).toEqual([...ids].sort().map((id) => [id, contactErased.name]));
    for (const contact of [survivor, duplicate, older]) {
      expect((await ctx.event((e) => e.type === contactErased.name && e.subject === contact.id)).data).toEqual({
        contactId: contact.id,
        erasedAt: expect.any(String),
      });
    }
    expect((await ctx.call(getContact, { id: bystander.id }, actor)).firstName).toBe('Bystander');
  });

  it('does not erase a contact restored after being merged: it is its own record again', async () => {
    const survivor = await ctx.newContact(actor);
    const merged = await ctx.newContact(actor);
    await ctx.call(mergeContacts, { id: survivor.id, mergedId: merged.id }, actor);
    await ctx.call(restoreContact, { id: merged.id }, actor);
    await ctx.call(eraseContact, { id: survivor.id }, actor);
    expect((await ctx.call(getContact, { id: merged.id }, actor)).id).toBe(merged.id);
  });

  it('erases a soft-deleted contact too', async () => {
    const contact = await ctx.newContact(actor, { emails: [{ address: 'deleted@private.example' }] });
    await ctx.call(deleteContact, { id: contact.id }, actor);
    await ctx.call(eraseContact, { id: contact.id }, actor);
    await expectRemoteError(ctx.call(restoreContact, { id: contact.id }, actor), 'NOT_FOUND');
    expect(await db.selectFrom('contact_email').select('id').where('contact_id', '=', contact.id).execute()).toEqual([]);
  });

  it("only for the owning tenant: another tenant's contact answers NOT_FOUND and stays as it was", async () => {
    const contact = await ctx.newContact(actor);
    await ctx.call(logInteraction, { contactId: contact.id, interaction: { channel: 'note', body: 'kept' } }, actor);
    await expectRemoteError(ctx.call(eraseContact, { id: contact.id }, ctx.newActor()), 'NOT_FOUND');
    await expectRemoteError(ctx.call(eraseContact, { id: randomUUID() }, actor), 'NOT_FOUND');
    expect(await ctx.call(getContact, { id: contact.id }, actor)).toEqual({ ...contact, lastPurchaseAt: null, lifetimeValue: [] });
    expect((await ctx.call(listInteractions, { contactId: contact.id }, actor)).data).toHaveLength(1);
  });
});
