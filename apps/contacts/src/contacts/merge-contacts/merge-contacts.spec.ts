import { randomUUID } from 'node:crypto';
import {
  Actor,
  contactMerged,
  defineCustomField,
  deleteContact,
  getContact,
  listContacts,
  listInteractions,
  logInteraction,
  mergeContacts,
  updateContact,
} from '@crm/contracts';
import { ContactsTestContext, expectRemoteError, failedPaths } from '../../testing/contacts-test-context';

describe('merging contacts', () => {
  let ctx: ContactsTestContext;
  let actor: Actor;

  beforeAll(async () => {
    ctx = await ContactsTestContext.start();
  });
  afterAll(() => ctx?.close());
  beforeEach(() => {
    actor = ctx.newActor();
  });

  it('gives the survivor what it lacks and the whole timeline; the merged one is gone; one event names both', async () => {
    const acme = await ctx.newCompany(actor);
    const ownerId = randomUUID();
    const survivor = await ctx.newContact(actor, {
      firstName: 'Ada',
      lastName: '',
      emails: [{ address: 'ada@work.example', label: 'work' }],
      phones: [{ number: '+44 20 0000 0001' }],
      tags: ['vip', 'london'],
    });
    const merged = await ctx.newContact(
      actor,
      {
        firstName: 'Augusta',
        lastName: 'King',
        title: 'Countess',
        emails: [{ address: 'ADA@work.example' }, { address: 'ada@home.example', label: 'home', primary: true }],
        phones: [{ number: '+44 (20) 0000-0001' }, { number: '+44 20 0000 0002' }],
        addresses: [{ city: 'London' }],
        companyId: acme.id,
        ownerId,
        tags: ['london', 'math'],
      },
      true,
    );
    await ctx.call(logInteraction, { contactId: survivor.id, interaction: { channel: 'call', subject: 'mine' } }, actor);
    await ctx.call(logInteraction, { contactId: merged.id, interaction: { channel: 'email', subject: 'theirs', body: 'hello' } }, actor);

    const result = await ctx.call(mergeContacts, { id: survivor.id, mergedId: merged.id, expectedVersion: survivor.version }, actor);

    expect(result).toMatchObject({
      id: survivor.id,
      firstName: 'Ada',
      lastName: 'King',
      title: 'Countess',
      companyId: acme.id,
      ownerId,
      emails: [
        { address: 'ada@work.example', label: 'work', primary: true },
        { address: 'ada@home.example', label: 'home', primary: false },
      ],
      phones: [
        { number: '+44 20 0000 0001', primary: true },
        { number: '+44 20 0000 0002', primary: false },
      ],
      addresses: [{ city: 'London' }],
      tags: ['vip', 'london', 'math'],
      version: survivor.version + 1,
    });
    expect(await ctx.call(getContact, { id: survivor.id }, actor)).toEqual({ ...result, lastPurchaseAt: null, lifetimeValue: [] });

    const timeline = await ctx.call(listInteractions, { contactId: survivor.id }, actor);
    expect(timeline.data.map((i) => i.subject).sort()).toEqual(['mine', 'theirs']);
    expect(timeline.data.every((i) => i.contactId === survivor.id)).toBe(true);

    expect((await ctx.call(listContacts, {}, actor)).data.map((c) => c.id)).toEqual([survivor.id]);
    // Found by what it took over; the merged one (deleted) no more.
    expect((await ctx.call(listContacts, { filter: { q: 'ada@home.example' } }, actor)).data.map((c) => c.id)).toEqual([survivor.id]);
    expect((await ctx.call(listContacts, { filter: { q: 'king' } }, actor)).data.map((c) => c.id)).toEqual([survivor.id]);
    expect((await ctx.call(listContacts, { filter: { q: 'augusta' } }, actor)).data).toEqual([]);
    expect((await ctx.call(getContact, { id: merged.id }, actor)).deletedAt).not.toBeNull();
    expect((await ctx.call(listInteractions, { contactId: merged.id }, actor)).data).toEqual([]);

    const event = await ctx.event((e) => e.type === contactMerged.name && e.subject === survivor.id);
    expect(event).toMatchObject({ tenantid: actor.tenantId, entityversion: result.version, data: { contact: result, mergedId: merged.id } });
  });

  it("keeps the survivor's own values and custom fields over the merged one's", async () => {
    for (const key of ['tier', 'source']) {
      await ctx.call(defineCustomField, { definition: { entity: 'contact', key, label: key, type: 'text' } }, actor);
    }
    const survivor = await ctx.newContact(actor, { firstName: 'Sam', lastName: 'Survivor', title: 'CEO', customFields: { tier: 'gold' } });
    const merged = await ctx.newContact(actor, {
      firstName: 'Mel',
      lastName: 'Merged',
      title: 'CTO',
      emails: [{ address: 'mel@x.example' }],
      customFields: { tier: 'silver', source: 'web' },
    });
    const result = await ctx.call(mergeContacts, { id: survivor.id, mergedId: merged.id }, actor);
    expect(result).toMatchObject({ firstName: 'Sam', lastName: 'Survivor', title: 'CEO', customFields: { tier: 'gold', source: 'web' } });
    // The survivor had no email: the merged one's come over, one of them primary.
    expect(result.emails).toEqual([{ address: 'mel@x.example', primary: true }]);
  });

  it('refuses a stale version with PRECONDITION_FAILED and changes nothing', async () => {
    const survivor = await ctx.newContact(actor);
    const merged = await ctx.newContact(actor, { emails: [{ address: 'stale@x.example' }] });
    await ctx.call(updateContact, { id: survivor.id, patch: { title: 'Changed' } }, actor);
    await expectRemoteError(ctx.call(mergeContacts, { id: survivor.id, mergedId: merged.id, expectedVersion: survivor.version }, actor), 'PRECONDITION_FAILED');
    expect((await ctx.call(getContact, { id: merged.id }, actor)).deletedAt).toBeNull();
    expect((await ctx.call(getContact, { id: survivor.id }, actor)).emails).toEqual([]);
  });

  it("answers NOT_FOUND for another tenant's or a deleted contact, on either side, and refuses merging one into itself", async () => {
    const mine = await ctx.newContact(actor);
    const stranger = ctx.newActor();
    const theirs = await ctx.newContact(stranger);
    await expectRemoteError(ctx.call(mergeContacts, { id: mine.id, mergedId: theirs.id }, actor), 'NOT_FOUND');
    await expectRemoteError(ctx.call(mergeContacts, { id: theirs.id, mergedId: mine.id }, actor), 'NOT_FOUND');
    await expectRemoteError(ctx.call(mergeContacts, { id: theirs.id, mergedId: mine.id }, ctx.newActor()), 'NOT_FOUND');

    const deleted = await ctx.newContact(actor);
    await ctx.call(deleteContact, { id: deleted.id }, actor);
    await expectRemoteError(ctx.call(mergeContacts, { id: mine.id, mergedId: deleted.id }, actor), 'NOT_FOUND');
    await expectRemoteError(ctx.call(mergeContacts, { id: deleted.id, mergedId: mine.id }, actor), 'NOT_FOUND');

    const error = await expectRemoteError(ctx.call(mergeContacts, { id: mine.id, mergedId: mine.id }, actor), 'VALIDATION_FAILED');
    expect(failedPaths(error)).toEqual(['mergedId']);
    expect((await ctx.call(getContact, { id: mine.id }, actor)).version).toBe(mine.version);
    expect((await ctx.call(getContact, { id: theirs.id }, stranger)).deletedAt).toBeNull();
  });
});
