import { randomUUID } from 'node:crypto';
import { Actor, eraseContact, getContact, listContactActivities, mergeContacts } from '@crm/contracts';
import { Database } from '../infrastructure/database/database';
import { ContactsTestContext, expectRemoteError } from '../testing/contacts-test-context';
import { dealOf, orderOf, SalesEvents } from '../testing/sales-event-builders';

const HOUR_MS = 3600_000;
const hoursAgo = (hours: number) => new Date(Date.now() - hours * HOUR_MS).toISOString();

describe("a contact's orders and deals (sales events)", () => {
  let ctx: ContactsTestContext;
  let actor: Actor;
  let sales: SalesEvents;

  beforeAll(async () => {
    ctx = await ContactsTestContext.start();
  });
  afterAll(() => ctx?.close());
  beforeEach(() => {
    actor = ctx.newActor();
    sales = new SalesEvents(actor.tenantId);
  });

  const purchases = async (contactId: string) => {
    const { lastPurchaseAt, lifetimeValue } = await ctx.call(getContact, { id: contactId }, actor);
    return { lastPurchaseAt, lifetimeValue };
  };

  it('shows recorded orders on the timeline and sums lifetime value per currency; the last purchase is the latest', async () => {
    const contact = await ctx.newContact(actor);
    const older = orderOf(contact.id, { totalMinor: 1000, purchasedAt: hoursAgo(5) });
    const newer = orderOf(contact.id, { totalMinor: 2500, purchasedAt: hoursAgo(1), externalSystem: 'erp', externalId: 'SO-7' });
    const dollars = orderOf(contact.id, { totalMinor: 700, currency: 'USD', purchasedAt: hoursAgo(3) });
    await ctx.deliver(sales.recorded(older), sales.recorded(newer), sales.recorded(dollars));

    expect(await purchases(contact.id)).toEqual({
      lastPurchaseAt: newer.purchasedAt,
      lifetimeValue: [
        { currency: 'EUR', amountMinor: 3500 },
        { currency: 'USD', amountMinor: 700 },
      ],
    });
    const timeline = await ctx.call(listContactActivities, { contactId: contact.id }, actor);
    expect(timeline.data.map((a) => a.id)).toEqual([newer.id, dollars.id, older.id]);
    expect(timeline.data[0]).toEqual({
      id: newer.id,
      contactId: contact.id,
      kind: 'order',
      title: 'erp SO-7',
      status: 'placed',
      amountMinor: 2500,
      currency: 'EUR',
      occurredAt: newer.purchasedAt,
      version: 1,
      updatedAt: newer.updatedAt,
    });
  });

  it('subtracts a cancelled or refunded order exactly once, redelivered or not', async () => {
    const contact = await ctx.newContact(actor);
    const kept = orderOf(contact.id, { totalMinor: 1000, purchasedAt: hoursAgo(2) });
    const order = orderOf(contact.id, { totalMinor: 4000, purchasedAt: hoursAgo(1) });
    const paid = sales.statusChanged(order, 'paid');
    const refunded = sales.statusChanged(paid.order, 'refunded');
    await ctx.deliver(sales.recorded(kept), sales.recorded(order), paid.envelope);
    expect(await purchases(contact.id)).toEqual({ lastPurchaseAt: order.purchasedAt, lifetimeValue: [{ currency: 'EUR', amountMinor: 5000 }] });

    await ctx.deliver(refunded.envelope);
    // The same delivery again (the inbox), and the same change published twice (the order's version).
    await ctx.deliver(refunded.envelope, { ...refunded.envelope, id: randomUUID() });
    expect(await purchases(contact.id)).toEqual({ lastPurchaseAt: kept.purchasedAt, lifetimeValue: [{ currency: 'EUR', amountMinor: 1000 }] });
    const [entry] = (await ctx.call(listContactActivities, { contactId: contact.id, limit: 1 }, actor)).data;
    expect(entry).toMatchObject({ id: order.id, status: 'refunded', version: 3 });
  });

  it("follows an order's updates (the ERP's status after the fact): a refund through an update stops counting", async () => {
    const contact = await ctx.newContact(actor);
    const order = orderOf(contact.id, { totalMinor: 2500, externalSystem: 'sap', externalId: 'SO-9' });
    const refunded = sales.updated(order, { status: 'refunded' });
    await ctx.deliver(sales.recorded(order), refunded.envelope);
    expect(await purchases(contact.id)).toEqual({ lastPurchaseAt: null, lifetimeValue: [] });
    const [entry] = (await ctx.call(listContactActivities, { contactId: contact.id }, actor)).data;
    expect(entry).toMatchObject({ id: order.id, title: 'sap SO-9', status: 'refunded', version: 2 });
  });

  it('keeps the newest version when events arrive out of order', async () => {
    const contact = await ctx.newContact(actor);
    const order = orderOf(contact.id, { totalMinor: 900 });
    const paid = sales.statusChanged(order, 'paid');
    const cancelled = sales.statusChanged(paid.order, 'cancelled');
    await ctx.deliver(cancelled.envelope, sales.recorded(order), paid.envelope);

    expect(await purchases(contact.id)).toEqual({ lastPurchaseAt: null, lifetimeValue: [] });
    const { data } = await ctx.call(listContactActivities, { contactId: contact.id }, actor);
    expect(data).toEqual([expect.objectContaining({ id: order.id, status: 'cancelled', version: 3 })]);
  });

  it('shows deals beside orders, filtered by kind and paged, without counting them as purchases', async () => {
    const contact = await ctx.newContact(actor);
    const deal = dealOf(contact.id, { createdAt: hoursAgo(1) });
    const orders = [1, 2, 3].map((h) => orderOf(contact.id, { purchasedAt: hoursAgo(h + 1) }));
    await ctx.deliver(sales.dealCreated(deal), ...orders.map((o) => sales.recorded(o)), sales.dealWon(deal));

    const deals = await ctx.call(listContactActivities, { contactId: contact.id, kind: 'deal' }, actor);
    expect(deals.data).toEqual([
      expect.objectContaining({ id: deal.id, kind: 'deal', title: 'Fleet renewal', status: 'won', amountMinor: 500_000, version: 2 }),
    ]);
    const first = await ctx.call(listContactActivities, { contactId: contact.id, limit: 2 }, actor);
    const second = await ctx.call(listContactActivities, { contactId: contact.id, limit: 2, cursor: first.nextCursor ?? undefined }, actor);
    expect([...first.data, ...second.data].map((a) => a.id)).toEqual([deal.id, ...orders.map((o) => o.id)]);
    expect(second.nextCursor).toBeNull();
    expect((await purchases(contact.id)).lifetimeValue).toEqual([{ currency: 'EUR', amountMinor: 3 * 1999 }]);
  });

  it("moves a merged contact's orders to the survivor, and later events of them land there too", async () => {
    const survivor = await ctx.newContact(actor);
    const merged = await ctx.newContact(actor);
    const order = orderOf(merged.id, { totalMinor: 1200 });
    await ctx.deliver(sales.recorded(order));
    await ctx.call(mergeContacts, { id: survivor.id, mergedId: merged.id }, actor);
    const late = orderOf(merged.id, { totalMinor: 300 });
    await ctx.deliver(sales.recorded(late));

    expect((await purchases(survivor.id)).lifetimeValue).toEqual([{ currency: 'EUR', amountMinor: 1500 }]);
    expect((await ctx.call(listContactActivities, { contactId: survivor.id }, actor)).data.map((a) => a.id).sort()).toEqual([order.id, late.id].sort());
  });

  it("keeps nothing of an erased contact's orders and deals, even from late events", async () => {
    const contact = await ctx.newContact(actor);
    await ctx.deliver(sales.dealCreated(dealOf(contact.id)));
    await ctx.call(eraseContact, { id: contact.id }, actor);
    await ctx.deliver(sales.recorded(orderOf(contact.id)));
    await expectRemoteError(ctx.call(listContactActivities, { contactId: contact.id }, actor), 'NOT_FOUND');
    const kept = await ctx.service.app
      .get(Database)
      .selectFrom('contact_activity')
      .select('id')
      .where('tenant_id', '=', actor.tenantId)
      .where('contact_id', '=', contact.id)
      .execute();
    expect(kept).toEqual([]);
  });

  it("answers NOT_FOUND for another tenant's contact", async () => {
    const contact = await ctx.newContact(actor);
    await ctx.deliver(sales.recorded(orderOf(contact.id)));
    await expectRemoteError(ctx.call(listContactActivities, { contactId: contact.id }, ctx.newActor()), 'NOT_FOUND');
    await expectRemoteError(ctx.call(getContact, { id: contact.id }, ctx.newActor()), 'NOT_FOUND');
  });
});
