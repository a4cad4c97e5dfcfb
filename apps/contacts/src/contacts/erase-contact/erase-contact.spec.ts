import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
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
import { ContactsTestContext, expectRemoteError } from '../../testing/contacts-test-context';

jest.setTimeout(60_000);

describe('erasing a contact', () => {
  let ctx: ContactsTestContext;
  let actor: Actor;
  let db: Client;

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

  const rows = async (sql: string, params: unknown[]) => (await db.query(sql, params)).rows;

  /** Waits until the relay has sent every outbox row about these subjects (erasure scrubs sent rows only). */
  async function sentAbout(subjects: string[], count: number): Promise<void> {
    for (let tries = 0; ; tries++) {
      const [{ sent, unsent }] = await rows(
        `SELECT count(*) FILTER (WHERE sent_at IS NOT NULL)::int AS sent, count(*) FILTER (WHERE sent_at IS NULL)::int AS unsent
           FROM outbox_message WHERE subject = ANY($1::text[])`,
        [subjects],
      );
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
    expect(await rows(`SELECT first_name, last_name, title, tags, custom_fields, search_text, company_id, erased_at IS NOT NULL AS erased FROM contact WHERE id = $1`, [contact.id])).toEqual([
      { first_name: '', last_name: null, title: null, tags: [], custom_fields: {}, search_text: '', company_id: null, erased: true },
    ]);
    expect(await rows(`SELECT id FROM contact_email WHERE contact_id = $1 UNION ALL SELECT id FROM contact_phone WHERE contact_id = $1`, [contact.id])).toEqual([]);
    expect(await rows(`SELECT id FROM interaction WHERE contact_id = $1`, [contact.id])).toEqual([]);
    // No search words: its links are gone, and so are the words nobody else in the tenant has.
    expect(await rows(`SELECT word FROM contact_search_word WHERE contact_id = $1`, [contact.id])).toEqual([]);
    expect(await rows(`SELECT word FROM search_word WHERE tenant_id = $1 ORDER BY word`, [actor.tenantId])).toEqual(
      ['acme', 'bank', 'bystander', 'innocent'].map((word) => ({ word })),
    );
    // Only the erasure's own event is left about them (it carries no personal data).
    expect(await rows(`SELECT type FROM outbox_message WHERE subject = ANY($1::text[])`, [[contact.id, call.id]])).toEqual([{ type: contactErased.name }]);
    expect(await rows(`SELECT id FROM outbox_message WHERE envelope::text LIKE '%zelda@private%' OR envelope::text LIKE '%Her health%'`, [])).toEqual([]);
    // Other contacts' events are left alone.
    expect(await rows(`SELECT type FROM outbox_message WHERE subject = $1`, [bystander.id])).toEqual([{ type: 'contacts.contact.created.v1' }]);

    // Its address and name match nothing any more: a new Zelda is created, no CONFLICT.
    await ctx.call(createContact, { contact: { firstName: 'Zelda', lastName: 'Zebrafish', emails: [{ address: 'zelda@private.example' }], companyId: company.id } }, actor);

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
    const tables = (await rows(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE '\\_%'`, [])).map((r) => r.tablename as string);
    expect(tables).toEqual(expect.arrayContaining(['contact', 'contact_email', 'contact_phone', 'interaction', 'search_word', 'contact_search_word', 'outbox_message']));
    for (const table of tables) {
      const found = await rows(`SELECT t::text AS row FROM ${table} t WHERE t::text ~* $1`, ['brunhilde|mergeling|cunegonde|oldmerge|astrid|survivorsen|5550142|mergetown|dupetag|duplicate']);
      expect({ table, found }).toEqual({ table, found: [] });
    }
    const ids = [survivor.id, duplicate.id, older.id];
    expect(await rows(`SELECT id FROM contact WHERE id = ANY($1::uuid[]) AND erased_at IS NULL`, [ids])).toEqual([]);
    // An erased event for each of them, and nothing else about them in the outbox.
    expect((await rows(`SELECT subject, type FROM outbox_message WHERE subject = ANY($1::text[]) ORDER BY subject`, [ids])).map((r) => [r.subject, r.type])).toEqual(
      [...ids].sort().map((id) => [id, contactErased.name]),
    );
    for (const contact of [survivor, duplicate, older]) {
      expect((await ctx.event((e) => e.type === contactErased.name && e.subject === contact.id)).data).toEqual({ contactId: contact.id, erasedAt: expect.any(String) });
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
    expect(await rows(`SELECT id FROM contact_email WHERE contact_id = $1`, [contact.id])).toEqual([]);
  });

  it("only for the owning tenant: another tenant's contact answers NOT_FOUND and stays as it was", async () => {
    const contact = await ctx.newContact(actor);
    await ctx.call(logInteraction, { contactId: contact.id, interaction: { channel: 'note', body: 'kept' } }, actor);
    await expectRemoteError(ctx.call(eraseContact, { id: contact.id }, ctx.newActor()), 'NOT_FOUND');
    await expectRemoteError(ctx.call(eraseContact, { id: randomUUID() }, actor), 'NOT_FOUND');
    expect(await ctx.call(getContact, { id: contact.id }, actor)).toEqual(contact);
    expect((await ctx.call(listInteractions, { contactId: contact.id }, actor)).data).toHaveLength(1);
  });
});
