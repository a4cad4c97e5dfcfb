import { randomUUID } from 'node:crypto';
import {
  Actor,
  defineCustomField,
  getCompany,
  getContact,
  importCompanies,
  importContacts,
  importInteractions,
  listContacts,
  listInteractions,
} from '@crm/contracts';
import { ContactsTestContext, expectRemoteError, failedPaths } from '../testing/contacts-test-context';

/** Bulk import over the bus: whole batches in the caller's tenant, the same events as single creates, all or nothing. */
describe('bulk import', () => {
  let ctx: ContactsTestContext;
  let actor: Actor;

  beforeAll(async () => {
    ctx = await ContactsTestContext.start();
    actor = ctx.newActor();
  });

  afterAll(() => ctx?.close());

  const eventsOf = (type: string, ids: string[]) => Promise.all(ids.map((id) => ctx.event((e) => e.type === type && e.subject === id)));
  const contactCount = async (as: Actor) => (await ctx.call(listContacts, { limit: 100 }, as)).data.length;

  it('imports companies in order, echoing external ids, one company.created each', async () => {
    const reply = await ctx.call(
      importCompanies,
      {
        companies: [
          { externalId: 'erp-1', name: 'Acme Corp', domain: 'ACME.example', tags: ['vip', 'vip'] },
          { name: 'Globex', phones: [{ number: '+1 555 0100' }] },
          { externalId: 'erp-3', name: 'Initech', industry: 'Software' },
        ],
      },
      actor,
    );

    expect(reply.created.map((c) => c.externalId)).toEqual(['erp-1', undefined, 'erp-3']);
    const [acme, globex] = await Promise.all(reply.created.map(({ id }) => ctx.call(getCompany, { id }, actor)));
    expect(acme).toMatchObject({ name: 'Acme Corp', domain: 'acme.example', tags: ['vip'], version: 1, deletedAt: null });
    expect(globex.phones).toEqual([{ number: '+1 555 0100', primary: true }]);
    const events = await eventsOf(
      'contacts.company.created.v1',
      reply.created.map((c) => c.id),
    );
    expect(events.map((e) => e.tenantid)).toEqual([actor.tenantId, actor.tenantId, actor.tenantId]);
    expect(events[0].data).toEqual({ company: acme });
    // Another tenant does not see them.
    await expectRemoteError(ctx.call(getCompany, { id: acme.id }, ctx.newActor()), 'NOT_FOUND');
  });

  it('imports contacts linked to companies, stored and published as single creates, searchable, without duplicate detection', async () => {
    const tenant = ctx.newActor();
    const [company] = (await ctx.call(importCompanies, { companies: [{ name: 'Wayne Enterprises' }] }, tenant)).created;
    const contacts = Array.from({ length: 50 }, (_, n) => ({
      externalId: `row-${n}`,
      firstName: `Ada${n}`,
      lastName: n === 0 ? 'Lovélace' : `Byron${n}`,
      emails: [{ address: `ada${n}@example.com` }, { address: `ADA${n}@work.example`, label: 'work', primary: true }],
      phones: [{ number: `+44 20 7946 ${String(n).padStart(4, '0')}` }],
      companyId: n % 2 === 0 ? company.id : null,
      tags: ['imported'],
      lifecycleStage: 'customer' as const,
    }));
    // The same person twice: an import does not look for duplicates.
    contacts.push({ ...contacts[1], externalId: 'row-1-again' });

    const reply = await ctx.call(importContacts, { contacts }, tenant);

    expect(reply.created).toHaveLength(51);
    expect(reply.created.map((c) => c.externalId)).toEqual(contacts.map((c) => c.externalId));
    const first = await ctx.call(getContact, { id: reply.created[0].id }, tenant);
    expect(first).toMatchObject({
      firstName: 'Ada0',
      lastName: 'Lovélace',
      emails: [
        { address: 'ada0@example.com', primary: false },
        { address: 'ADA0@work.example', label: 'work', primary: true },
      ],
      phones: [{ number: '+44 20 7946 0000', primary: true }],
      companyId: company.id,
      tags: ['imported'],
      lifecycleStage: 'customer',
      version: 1,
    });
    const events = await eventsOf(
      'contacts.contact.created.v1',
      reply.created.map((c) => c.id),
    );
    expect(events).toHaveLength(51);
    expect(new Set(events.map((e) => e.id)).size).toBe(51);
    // The event carries the contact as created; what orders say of it (lifetime value) is read alone.
    const { lastPurchaseAt, lifetimeValue, ...created } = first;
    expect({ lastPurchaseAt, lifetimeValue }).toEqual({ lastPurchaseAt: null, lifetimeValue: [] });
    expect(events[0].data).toEqual({ contact: created });
    expect(events[0].entityversion).toBe(1);
    // The derived search keys are written as a single create writes them: accents, emails, phones, company name.
    const search = async (q: string) => (await ctx.call(listContacts, { filter: { q }, limit: 100 }, tenant)).data.map((c) => c.id);
    expect(await search('lovelace')).toEqual([reply.created[0].id]);
    expect(await search('lovleace')).toEqual([reply.created[0].id]);
    expect(await search('ada7@work.example')).toContain(reply.created[7].id);
    expect(await search('+44 20 7946 0003')).toEqual([reply.created[3].id]);
    expect((await search('wayne')).sort()).toEqual(
      reply.created
        .filter((_, n) => n % 2 === 0 && n < 50)
        .map((c) => c.id)
        .sort(),
    );
  });

  it('refuses a whole batch when one item is invalid, naming the item and field', async () => {
    const tenant = ctx.newActor();
    const contacts = Array.from({ length: 5 }, (_, n) => ({ firstName: `Valid${n}`, emails: [{ address: `v${n}@example.com` }] }));
    contacts[3] = { firstName: 'Broken', emails: [{ address: 'not-an-email' }] };

    const error = await expectRemoteError(ctx.callUnchecked(importContacts, { contacts }, tenant), 'VALIDATION_FAILED');

    expect(failedPaths(error)).toEqual(['contacts.3.emails.0.address']);
    expect(await contactCount(tenant)).toBe(0);
  });

  it('refuses batches that are empty or larger than 1,000', async () => {
    await expectRemoteError(ctx.callUnchecked(importCompanies, { companies: [] }, actor), 'VALIDATION_FAILED');
    const tooMany = Array.from({ length: 1_001 }, (_, n) => ({ name: `C${n}` }));
    const error = await expectRemoteError(ctx.callUnchecked(importCompanies, { companies: tooMany }, actor), 'VALIDATION_FAILED');
    expect(failedPaths(error)).toEqual(['companies']);
  });

  it("refuses another tenant's company and custom field values that break the definitions, all at once, creating nothing", async () => {
    const tenant = ctx.newActor();
    const other = ctx.newActor();
    const [foreign] = (await ctx.call(importCompanies, { companies: [{ name: 'Not yours' }] }, other)).created;
    await ctx.call(
      defineCustomField,
      { definition: { entity: 'contact', key: 'tier', label: 'Tier', type: 'select', options: ['gold', 'silver'], required: true } },
      tenant,
    );

    const error = await expectRemoteError(
      ctx.call(
        importContacts,
        {
          contacts: [
            { firstName: 'Ok', customFields: { tier: 'gold' } },
            { firstName: 'Foreign company', companyId: foreign.id, customFields: { tier: 'silver' } },
            { firstName: 'Bad tier', customFields: { tier: 'bronze' } },
            { firstName: 'No tier' },
            { firstName: 'Unknown key', customFields: { tier: 'gold', shoe_size: 44 } },
          ],
        },
        tenant,
      ),
      'VALIDATION_FAILED',
    );

    expect(failedPaths(error).sort()).toEqual(
      ['contacts.1.companyId', 'contacts.2.customFields.tier', 'contacts.3.customFields.tier', 'contacts.4.customFields.shoe_size'].sort(),
    );
    expect(await contactCount(tenant)).toBe(0);
    const ok = await ctx.call(importContacts, { contacts: [{ firstName: 'Ok', customFields: { tier: 'gold' } }] }, tenant);
    expect((await ctx.call(getContact, { id: ok.created[0].id }, tenant)).customFields).toEqual({ tier: 'gold' });
  });

  it('imports interactions onto live contacts of the tenant, logged by the caller unless named, one interaction.logged each without the body', async () => {
    const tenant = ctx.newActor();
    const [alice, bob] = (await ctx.call(importContacts, { contacts: [{ firstName: 'Alice' }, { firstName: 'Bob' }] }, tenant)).created;
    const colleague = randomUUID();
    const interactions = [
      {
        contactId: alice.id,
        channel: 'call' as const,
        direction: 'outbound' as const,
        subject: 'Intro',
        body: 'Secret notes',
        occurredAt: '2026-01-02T10:00:00.000Z',
      },
      { contactId: alice.id, channel: 'email' as const, occurredAt: '2026-01-03T10:00:00.000Z', loggedBy: colleague },
      { contactId: bob.id, channel: 'meeting' as const, subject: '   ' },
    ];

    expect(await ctx.call(importInteractions, { interactions }, tenant)).toEqual({ created: 3 });

    const timeline = (await ctx.call(listInteractions, { contactId: alice.id }, tenant)).data;
    expect(timeline).toMatchObject([
      { channel: 'email', loggedBy: colleague, occurredAt: '2026-01-03T10:00:00.000Z', direction: null },
      { channel: 'call', direction: 'outbound', subject: 'Intro', body: 'Secret notes', loggedBy: tenant.userId },
    ]);
    const [bobs] = (await ctx.call(listInteractions, { contactId: bob.id }, tenant)).data;
    expect(bobs.subject).toBeNull();
    const events = await eventsOf('contacts.interaction.logged.v1', [...timeline.map((i) => i.id), bobs.id]);
    const { body: _body, ...withoutBody } = timeline[1];
    expect(events[1].data).toEqual({ interaction: withoutBody });
    expect(events.every((e) => e.tenantid === tenant.tenantId)).toBe(true);
  });

  it('lets only an admin name another author (loggedBy): anyone else imports as themselves, or is refused naming the item', async () => {
    const tenant = ctx.newActor();
    const [carol] = (await ctx.call(importContacts, { contacts: [{ firstName: 'Carol' }] }, tenant)).created;
    const sales: Actor = { ...tenant, userId: randomUUID(), roles: ['sales'] };
    const error = await expectRemoteError(
      ctx.call(
        importInteractions,
        {
          interactions: [
            { contactId: carol.id, channel: 'note', loggedBy: sales.userId },
            { contactId: carol.id, channel: 'note', loggedBy: tenant.userId },
          ],
        },
        sales,
      ),
      'VALIDATION_FAILED',
    );
    expect(failedPaths(error)).toEqual(['interactions.1.loggedBy']);
    expect((await ctx.call(listInteractions, { contactId: carol.id }, tenant)).data).toEqual([]);

    await ctx.call(
      importInteractions,
      {
        interactions: [
          { contactId: carol.id, channel: 'call' },
          { contactId: carol.id, channel: 'chat', loggedBy: sales.userId },
        ],
      },
      sales,
    );
    expect((await ctx.call(listInteractions, { contactId: carol.id }, tenant)).data.map((i) => i.loggedBy)).toEqual([sales.userId, sales.userId]);
  });

  it("refuses interactions on another tenant's or an unknown contact, naming the items", async () => {
    const tenant = ctx.newActor();
    const [mine] = (await ctx.call(importContacts, { contacts: [{ firstName: 'Mine' }] }, tenant)).created;
    const [theirs] = (await ctx.call(importContacts, { contacts: [{ firstName: 'Theirs' }] }, ctx.newActor())).created;

    const error = await expectRemoteError(
      ctx.call(
        importInteractions,
        {
          interactions: [
            { contactId: mine.id, channel: 'note' },
            { contactId: theirs.id, channel: 'note' },
            { contactId: randomUUID(), channel: 'chat' },
          ],
        },
        tenant,
      ),
      'VALIDATION_FAILED',
    );

    expect(failedPaths(error)).toEqual(['interactions.1.contactId', 'interactions.2.contactId']);
    expect((await ctx.call(listInteractions, { contactId: mine.id }, tenant)).data).toEqual([]);
  });
});
