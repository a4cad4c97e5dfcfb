import { sql } from 'kysely';
import {
  Actor,
  contactCreated,
  contactDeleted,
  contactRestored,
  contactUpdated,
  createContact,
  deleteContact,
  getContact,
  listContacts,
  restoreContact,
  updateContact,
} from '@crm/contracts';
import { testKysely } from '@crm/testing';
import type { DB } from '../generated/kysely/database';
import { ContactsTestContext, expectRemoteError, failedPaths } from '../testing/contacts-test-context';

describe('contacts', () => {
  let ctx: ContactsTestContext;
  let actor: Actor;

  beforeAll(async () => {
    ctx = await ContactsTestContext.start();
  });
  afterAll(() => ctx?.close());
  beforeEach(() => {
    actor = ctx.newActor();
  });

  it('creates a contact with one primary email and phone, and reads it back', async () => {
    const company = await ctx.newCompany(actor);
    const created = await ctx.newContact(actor, {
      firstName: 'Ada',
      lastName: 'Lovelace',
      title: 'Analyst',
      emails: [{ address: 'Ada@Example.com', label: 'work' }, { address: 'ada@home.example' }],
      phones: [{ number: '+44 20 7946 0000' }, { number: '020 7946 0001', primary: true }],
      addresses: [{ city: 'London', country: 'UK' }],
      companyId: company.id,
      tags: ['vip', 'vip', 'math'],
      lifecycleStage: 'prospect',
    });
    expect(created).toMatchObject({
      firstName: 'Ada',
      lastName: 'Lovelace',
      title: 'Analyst',
      emails: [
        { address: 'Ada@Example.com', label: 'work', primary: true },
        { address: 'ada@home.example', primary: false },
      ],
      phones: [
        { number: '+44 20 7946 0000', primary: false },
        { number: '020 7946 0001', primary: true },
      ],
      addresses: [{ city: 'London', country: 'UK' }],
      companyId: company.id,
      ownerId: null,
      tags: ['vip', 'math'],
      lifecycleStage: 'prospect',
      customFields: {},
      version: 1,
      deletedAt: null,
    });
    expect(await ctx.call(getContact, { id: created.id }, actor)).toEqual({ ...created, lastPurchaseAt: null, lifetimeValue: [] });
  });

  it('defaults: lead, no emails, nulls for absent values', async () => {
    const created = await ctx.call(createContact, { contact: { firstName: 'Solo' } }, actor);
    expect(created).toMatchObject({ lastName: null, title: null, emails: [], phones: [], companyId: null, lifecycleStage: 'lead' });
  });

  it('publishes contacts.contact.created with the contact and its version', async () => {
    const created = await ctx.newContact(actor, { firstName: 'Evented' });
    const event = await ctx.event((e) => e.type === contactCreated.name && e.subject === created.id);
    expect(event).toMatchObject({ tenantid: actor.tenantId, entityversion: 1, data: { contact: created } });
  });

  it('refuses a company of another tenant or none, naming contact.companyId', async () => {
    const foreign = await ctx.newCompany(ctx.newActor());
    for (const companyId of [foreign.id, '00000000-0000-4000-8000-000000000000']) {
      const error = await expectRemoteError(ctx.newContact(actor, { companyId }), 'VALIDATION_FAILED');
      expect(failedPaths(error)).toEqual(['contact.companyId']);
    }
  });

  it('refuses bad input with VALIDATION_FAILED naming the fields', async () => {
    const error = await expectRemoteError(
      ctx.callUnchecked(createContact, { contact: { firstName: '', emails: [{ address: 'not-an-email' }], lifecycleStage: 'nope' } }, actor),
      'VALIDATION_FAILED',
    );
    expect(failedPaths(error)).toEqual(expect.arrayContaining(['contact.firstName', 'contact.emails.0.address', 'contact.lifecycleStage']));
  });

  it('refuses a call without an actor: UNAUTHENTICATED', async () => {
    await expectRemoteError(ctx.call(createContact, { contact: { firstName: 'Nobody' } }, undefined), 'UNAUTHENTICATED');
  });

  it('refuses a likely duplicate (same email, any case) unless allowDuplicates', async () => {
    const first = await ctx.newContact(actor, { emails: [{ address: 'twin@example.com' }] });
    const error = await expectRemoteError(ctx.newContact(actor, { emails: [{ address: 'TWIN@example.com' }] }), 'CONFLICT');
    expect(error.details).toEqual({ duplicates: [expect.objectContaining({ id: first.id, reasons: ['same-email'], primaryEmail: 'twin@example.com' })] });
    const second = await ctx.newContact(actor, { emails: [{ address: 'TWIN@example.com' }] }, true);
    expect(second.id).not.toBe(first.id);
    // Another tenant's contacts are not duplicates.
    await expect(ctx.newContact(ctx.newActor(), { emails: [{ address: 'twin@example.com' }] })).resolves.toBeDefined();
  });

  it("hides another tenant's contact: NOT_FOUND for get, update, delete and restore", async () => {
    const mine = await ctx.newContact(actor);
    const stranger = ctx.newActor();
    await expectRemoteError(ctx.call(getContact, { id: mine.id }, stranger), 'NOT_FOUND');
    await expectRemoteError(ctx.call(updateContact, { id: mine.id, patch: { title: 'x' } }, stranger), 'NOT_FOUND');
    await expectRemoteError(ctx.call(deleteContact, { id: mine.id }, stranger), 'NOT_FOUND');
    await expectRemoteError(ctx.call(restoreContact, { id: mine.id }, stranger), 'NOT_FOUND');
    expect((await ctx.call(listContacts, {}, stranger)).data).toEqual([]);
    expect(await ctx.call(getContact, { id: mine.id }, actor)).toMatchObject({ version: 1, title: null });
  });

  it('updates with patch semantics: absent fields stay, arrays replace, version goes up; the event names what changed', async () => {
    const created = await ctx.newContact(actor, {
      firstName: 'Grace',
      lastName: 'Hopper',
      emails: [{ address: 'grace@example.com' }],
      tags: ['navy'],
    });
    const updated = await ctx.call(
      updateContact,
      { id: created.id, expectedVersion: 1, patch: { title: 'Rear Admiral', tags: ['cobol'], lastName: 'Hopper' } },
      actor,
    );
    expect(updated).toMatchObject({ firstName: 'Grace', lastName: 'Hopper', title: 'Rear Admiral', tags: ['cobol'], emails: created.emails, version: 2 });
    const event = await ctx.event((e) => e.type === contactUpdated.name && e.subject === created.id);
    expect(event).toMatchObject({ entityversion: 2, data: { contact: updated } });
    expect((event.data as { changed: string[] }).changed.sort()).toEqual(['tags', 'title']);
  });

  it('an update that changes nothing (PATCH {}, or every value as it is) answers the contact as it is: same version, no event', async () => {
    const created = await ctx.newContact(actor, { firstName: 'Ada', emails: [{ address: 'ada@example.com' }], tags: ['math'] });
    expect(await ctx.call(updateContact, { id: created.id, expectedVersion: 1, patch: {} }, actor)).toEqual(created);
    expect(
      await ctx.call(updateContact, { id: created.id, patch: { firstName: 'Ada', tags: ['math'], emails: [{ address: 'ada@example.com' }] } }, actor),
    ).toEqual(created);
    expect(await ctx.call(getContact, { id: created.id }, actor)).toEqual({ ...created, lastPurchaseAt: null, lifetimeValue: [] });
    // A real change after them: its event is the first (and only) update event of the contact.
    await ctx.call(updateContact, { id: created.id, patch: { title: 'Countess' } }, actor);
    await ctx.event((e) => e.type === contactUpdated.name && e.subject === created.id);
    expect(ctx.events.filter((e) => e.type === contactUpdated.name && e.subject === created.id).map((e) => e.entityversion)).toEqual([2]);
  });

  it('answers a stale expectedVersion with PRECONDITION_FAILED and changes nothing', async () => {
    const created = await ctx.newContact(actor);
    await ctx.call(updateContact, { id: created.id, expectedVersion: 1, patch: { title: 'first' } }, actor);
    await expectRemoteError(ctx.call(updateContact, { id: created.id, expectedVersion: 1, patch: { title: 'second' } }, actor), 'PRECONDITION_FAILED');
    await expectRemoteError(ctx.call(deleteContact, { id: created.id, expectedVersion: 1 }, actor), 'PRECONDITION_FAILED');
    expect(await ctx.call(getContact, { id: created.id }, actor)).toMatchObject({ title: 'first', version: 2, deletedAt: null });
  });

  it('validates a patched companyId, naming patch.companyId', async () => {
    const created = await ctx.newContact(actor);
    const foreign = await ctx.newCompany(ctx.newActor());
    const error = await expectRemoteError(ctx.call(updateContact, { id: created.id, patch: { companyId: foreign.id } }, actor), 'VALIDATION_FAILED');
    expect(failedPaths(error)).toEqual(['patch.companyId']);
  });

  it('soft-deletes (out of lists, still readable) and restores, with events', async () => {
    const created = await ctx.newContact(actor);
    const deleted = await ctx.call(deleteContact, { id: created.id, expectedVersion: 1 }, actor);
    expect(deleted).toMatchObject({ version: 2, deletedAt: expect.any(String) });
    expect((await ctx.call(listContacts, {}, actor)).data.map((c) => c.id)).not.toContain(created.id);
    expect((await ctx.call(listContacts, { filter: { includeDeleted: true } }, actor)).data.map((c) => c.id)).toContain(created.id);
    await expectRemoteError(ctx.call(updateContact, { id: created.id, patch: { title: 'x' } }, actor), 'NOT_FOUND');
    const deletedEvent = await ctx.event((e) => e.type === contactDeleted.name && e.subject === created.id);
    expect(deletedEvent).toMatchObject({ entityversion: 2, data: { contactId: created.id, deletedAt: deleted.deletedAt } });

    const restored = await ctx.call(restoreContact, { id: created.id }, actor);
    expect(restored).toMatchObject({ version: 3, deletedAt: null });
    const restoredEvent = await ctx.event((e) => e.type === contactRestored.name && e.subject === created.id);
    expect(restoredEvent).toMatchObject({ entityversion: 3, data: { contact: restored } });
    expect((await ctx.call(listContacts, {}, actor)).data.map((c) => c.id)).toContain(created.id);
  });

  it('cannot restore after the 30-day window: NOT_FOUND', async () => {
    const created = await ctx.newContact(actor);
    await ctx.call(deleteContact, { id: created.id }, actor);
    const db = testKysely<DB>(ctx.service.db.url);
    try {
      await db
        .updateTable('contact')
        .set({ deleted_at: sql<Date>`now() - interval '31 days'` })
        .where('id', '=', created.id)
        .execute();
    } finally {
      await db.destroy();
    }
    await expectRemoteError(ctx.call(restoreContact, { id: created.id }, actor), 'NOT_FOUND');
    await expectRemoteError(ctx.call(getContact, { id: created.id }, actor), 'NOT_FOUND');
    expect((await ctx.call(listContacts, { filter: { includeDeleted: true } }, actor)).data).toEqual([]);
  });
});
