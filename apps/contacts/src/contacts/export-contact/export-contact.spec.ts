import { randomUUID } from 'node:crypto';
import { Actor, deleteContact, eraseContact, exportContact, listDataSubjectRequests, logInteraction } from '@crm/contracts';
import { ContactsTestContext, expectRemoteError } from '../../testing/contacts-test-context';

describe('personal-data export', () => {
  let ctx: ContactsTestContext;
  let actor: Actor;

  beforeAll(async () => {
    ctx = await ContactsTestContext.start();
  });
  afterAll(() => ctx?.close());
  beforeEach(() => {
    actor = ctx.newActor();
  });

  it('holds the contact, its company and its whole timeline with bodies', async () => {
    const company = await ctx.newCompany(actor, { name: 'Analytical Engines Ltd' });
    const contact = await ctx.newContact(actor, { firstName: 'Ada', emails: [{ address: 'ada@engines.example' }], companyId: company.id });
    const older = await ctx.call(
      logInteraction,
      { contactId: contact.id, interaction: { channel: 'meeting', body: 'Notes on the engine', occurredAt: '2026-01-01T10:00:00Z' } },
      actor,
    );
    const newer = await ctx.call(
      logInteraction,
      {
        contactId: contact.id,
        interaction: { channel: 'email', direction: 'inbound', subject: 'Re: notes', body: 'Thanks!', occurredAt: '2026-02-01T10:00:00Z' },
      },
      actor,
    );
    const before = Date.now();

    const exported = await ctx.call(exportContact, { id: contact.id }, actor);

    expect(exported).toEqual({ exportedAt: expect.any(String), contact, company, interactions: [newer, older] });
    expect(exported.interactions.map((i) => i.body)).toEqual(['Thanks!', 'Notes on the engine']);
    expect(Date.parse(exported.exportedAt)).toBeGreaterThanOrEqual(before - 1_000);
  });

  it('exports a contact without a company or timeline', async () => {
    const contact = await ctx.newContact(actor);
    expect(await ctx.call(exportContact, { id: contact.id }, actor)).toMatchObject({ contact, company: null, interactions: [] });
  });

  it('still exports a soft-deleted contact: the service holds it until it is purged', async () => {
    const contact = await ctx.newContact(actor);
    const deleted = await ctx.call(deleteContact, { id: contact.id }, actor);
    expect((await ctx.call(exportContact, { id: contact.id }, actor)).contact).toEqual(deleted);
  });

  it("answers NOT_FOUND for another tenant's, an unknown or an erased contact", async () => {
    const contact = await ctx.newContact(actor);
    await expectRemoteError(ctx.call(exportContact, { id: contact.id }, ctx.newActor()), 'NOT_FOUND');
    await expectRemoteError(ctx.call(exportContact, { id: randomUUID() }, actor), 'NOT_FOUND');
    await ctx.call(eraseContact, { id: contact.id }, actor);
    await expectRemoteError(ctx.call(exportContact, { id: contact.id }, actor), 'NOT_FOUND');
  });

  it('is a data-subject request: admins and managers only, each export recorded (who, when, which contact), listed to admins', async () => {
    const contact = await ctx.newContact(actor);
    const manager: Actor = { ...actor, userId: randomUUID(), roles: ['manager'] };
    for (const roles of [['viewer'], ['sales'], ['support'], []] as Actor['roles'][]) {
      await expectRemoteError(ctx.call(exportContact, { id: contact.id }, { ...actor, roles }), 'FORBIDDEN');
    }
    expect((await ctx.call(listDataSubjectRequests, {}, actor)).data).toEqual([]);

    const first = await ctx.call(exportContact, { id: contact.id }, actor);
    const second = await ctx.call(exportContact, { id: contact.id }, manager);
    const erased = await ctx.call(eraseContact, { id: contact.id }, actor);

    const { data } = await ctx.call(listDataSubjectRequests, {}, actor);
    expect(data).toEqual([
      { id: expect.any(String), kind: 'erase', contactId: contact.id, requestedBy: actor.userId, requestedAt: erased.erasedAt },
      { id: expect.any(String), kind: 'export', contactId: contact.id, requestedBy: manager.userId, requestedAt: second.exportedAt },
      { id: expect.any(String), kind: 'export', contactId: contact.id, requestedBy: actor.userId, requestedAt: first.exportedAt },
    ]);
    // Pages by cursor, newest first; only admins read the record; another tenant sees none of it.
    const page = await ctx.call(listDataSubjectRequests, { limit: 2 }, actor);
    expect((await ctx.call(listDataSubjectRequests, { limit: 2, cursor: page.nextCursor as string }, actor)).data).toEqual([data[2]]);
    await expectRemoteError(ctx.call(listDataSubjectRequests, {}, manager), 'FORBIDDEN');
    expect((await ctx.call(listDataSubjectRequests, {}, ctx.newActor())).data).toEqual([]);
    // A refused or failed export records nothing.
    await expectRemoteError(ctx.call(exportContact, { id: randomUUID() }, actor), 'NOT_FOUND');
    expect((await ctx.call(listDataSubjectRequests, {}, actor)).data).toHaveLength(3);
  });
});
