import { randomUUID } from 'node:crypto';
import { Actor, changeOrderStatus, getOrder, listOrders, Order, orderRecorded, orderStatusChanged, recordOrder } from '@crm/contracts';
import { expectOrderError, namedFields, OrderBuilders } from '../testing/order-builders';
import { SalesAutomationTestContext } from '../testing/sales-automation-test-context';

describe('orders', () => {
  let ctx: SalesAutomationTestContext;
  let build: OrderBuilders;
  let actor: Actor;

  beforeAll(async () => {
    ctx = await SalesAutomationTestContext.start();
    build = new OrderBuilders(ctx);
  });
  afterAll(() => ctx?.close());
  beforeEach(() => {
    actor = build.newActor();
  });

  it('records an order: lines priced from the catalogue by default, totals computed, recorded event in the outbox', async () => {
    const widget = await build.newProduct(actor, { sku: 'W-1', name: 'Widget', unitPriceMinor: 12_50 });
    const gadget = await build.newProduct(actor, { sku: 'G-1', name: 'Gadget', unitPriceMinor: 99_99 });
    const contactId = randomUUID();
    const order = await build.newOrder(actor, {
      contactId,
      channel: 'web',
      externalId: 'SO-1001',
      externalSystem: 'erp',
      lines: [
        { productId: widget.id, quantity: 4, discountMinor: 5_00 },
        { productId: gadget.id, quantity: 1, unitPriceMinor: 89_99, name: 'Gadget (sale)' },
        { name: 'Shipping', quantity: 1, unitPriceMinor: 4_90 },
      ],
    });
    expect(order).toMatchObject({
      contactId,
      companyId: null,
      currency: 'EUR',
      subtotalMinor: 50_00 + 89_99 + 4_90,
      discountMinor: 5_00,
      totalMinor: 50_00 + 89_99 + 4_90 - 5_00,
      purchasedAt: '2026-11-20T10:00:00.000Z',
      channel: 'web',
      status: 'placed',
      externalId: 'SO-1001',
      externalSystem: 'erp',
      version: 1,
      lines: [
        { productId: widget.id, sku: 'W-1', name: 'Widget', quantity: 4, unitPriceMinor: 12_50, discountMinor: 5_00, totalMinor: 45_00 },
        { productId: gadget.id, sku: 'G-1', name: 'Gadget (sale)', quantity: 1, unitPriceMinor: 89_99, discountMinor: 0, totalMinor: 89_99 },
        { productId: null, sku: null, name: 'Shipping', quantity: 1, unitPriceMinor: 4_90, discountMinor: 0, totalMinor: 4_90 },
      ],
    });
    expect(await build.call(getOrder, { id: order.id }, actor)).toEqual(order);
    expect(await build.outboxEvents(orderRecorded.name, order.id)).toEqual([expect.objectContaining({ data: { order } })]);
  });

  it('answers 409 naming externalId when an external order is recorded again (nothing doubled)', async () => {
    const first = await build.newOrder(actor, { externalId: 'SO-7', externalSystem: 'erp' });
    const error = await expectOrderError(build.newOrder(actor, { externalId: 'SO-7', externalSystem: 'erp' }), 'CONFLICT');
    expect(namedFields(error)).toEqual(['externalId']);
    expect(error.details).toMatchObject({ problemCode: 'EXTERNAL_ORDER_EXISTS', existingOrderId: first.id });
    // Another system's order with the same number is another order.
    await expect(build.newOrder(actor, { externalId: 'SO-7', externalSystem: 'shop' })).resolves.toMatchObject({ externalId: 'SO-7' });
  });

  it('refuses invalid money, currency, quantity, dates and lines, naming each field', async () => {
    const usd = await build.newProduct(actor, { currency: 'USD' });
    const order = { contactId: randomUUID(), currency: 'EUR', purchasedAt: '2026-11-20T10:00:00.000Z' };
    const fieldsOf = async (payload: unknown) =>
      namedFields(await expectOrderError(build.callUnchecked(recordOrder, { order: payload }, actor), 'VALIDATION_FAILED'));

    expect(await fieldsOf({ ...order, lines: [{ name: 'x', quantity: 1, unitPriceMinor: 9.99 }] })).toEqual(['order.lines.0.unitPriceMinor']);
    expect(await fieldsOf({ ...order, lines: [{ name: 'x', quantity: 1, unitPriceMinor: -1 }] })).toEqual(['order.lines.0.unitPriceMinor']);
    expect(await fieldsOf({ ...order, currency: 'EURO', lines: [{ name: 'x', quantity: 1, unitPriceMinor: 1 }] })).toEqual(['order.currency']);
    expect(await fieldsOf({ ...order, currency: 'XYZ', lines: [{ name: 'x', quantity: 1, unitPriceMinor: 1 }] })).toEqual(['order.currency']);
    expect(await fieldsOf({ ...order, lines: [{ name: 'x', quantity: 0, unitPriceMinor: 1 }] })).toEqual(['order.lines.0.quantity']);
    expect(await fieldsOf({ ...order, lines: [{ name: 'x', quantity: 1.5, unitPriceMinor: 1 }] })).toEqual(['order.lines.0.quantity']);
    expect(await fieldsOf({ ...order, purchasedAt: '2026-13-45', lines: [{ name: 'x', quantity: 1, unitPriceMinor: 1 }] })).toEqual(['order.purchasedAt']);
    expect(await fieldsOf({ ...order, lines: [] })).toEqual(['order.lines']);
    expect(await fieldsOf({ ...order, lines: [{ name: 'x', quantity: 2, unitPriceMinor: 5_00, discountMinor: 10_01 }] })).toEqual([
      'order.lines.0.discountMinor',
    ]);
    expect(await fieldsOf({ ...order, lines: [{ quantity: 1, unitPriceMinor: 1 }] })).toEqual(['order.lines.0.name']);
    expect(await fieldsOf({ ...order, lines: [{ name: 'x', quantity: 1 }] })).toEqual(['order.lines.0.unitPriceMinor']);
    expect(await fieldsOf({ ...order, lines: [{ productId: randomUUID(), quantity: 1 }] })).toEqual(['order.lines.0.productId']);
    expect(await fieldsOf({ ...order, lines: [{ productId: usd.id, quantity: 1 }] })).toEqual(['order.currency']);
    expect(await fieldsOf({ ...order, contactId: undefined, lines: [{ name: 'x', quantity: 1, unitPriceMinor: 1 }] })).toEqual(['order.contactId']);
    expect(await fieldsOf({ ...order, externalId: 'A-1', lines: [{ name: 'x', quantity: 1, unitPriceMinor: 1 }] })).toEqual(['order.externalSystem']);
    expect(await fieldsOf({ ...order, lines: [{ name: 'x', quantity: 1_000_000, unitPriceMinor: Number.MAX_SAFE_INTEGER }] })).toEqual([
      'order.lines.0.unitPriceMinor',
    ]);
  });

  it("does not price from another tenant's product", async () => {
    const theirs = await build.newProduct(build.newActor());
    const error = await expectOrderError(build.newOrder(actor, { lines: [{ productId: theirs.id, quantity: 1 }] }), 'VALIDATION_FAILED');
    expect(namedFields(error)).toEqual(['order.lines.0.productId']);
  });

  it('moves status placed → paid → shipped → refunded with If-Match; refuses other transitions with a stable code', async () => {
    const order = await build.newOrder(actor);
    const paid = await build.call(changeOrderStatus, { id: order.id, expectedVersion: 1, status: 'paid' }, actor);
    expect(paid).toMatchObject({ status: 'paid', version: 2 });
    await expectOrderError(build.call(changeOrderStatus, { id: order.id, expectedVersion: 1, status: 'shipped' }, actor), 'PRECONDITION_FAILED');
    const shipped = await build.call(changeOrderStatus, { id: order.id, expectedVersion: 2, status: 'shipped' }, actor);
    const refused = await expectOrderError(build.call(changeOrderStatus, { id: order.id, status: 'cancelled' }, actor), 'CONFLICT');
    expect(refused.details).toMatchObject({ problemCode: 'INVALID_STATUS_TRANSITION' });
    expect(namedFields(refused)).toEqual(['status']);
    await expectOrderError(build.call(changeOrderStatus, { id: order.id, status: 'placed' }, actor), 'CONFLICT');
    const refunded = await build.call(changeOrderStatus, { id: order.id, status: 'refunded' }, actor);
    expect(refunded).toMatchObject({ status: 'refunded', version: 4 });
    await expectOrderError(build.call(changeOrderStatus, { id: order.id, status: 'paid' }, actor), 'CONFLICT');
    const changes = await build.outboxEvents(orderStatusChanged.name, order.id);
    expect(changes.map((e) => e.data)).toEqual([
      { order: paid, previousStatus: 'placed' },
      { order: shipped, previousStatus: 'paid' },
      { order: refunded, previousStatus: 'shipped' },
    ]);
  });

  it('cancels before shipping only; the same status again changes nothing', async () => {
    const placed = await build.newOrder(actor);
    expect(await build.call(changeOrderStatus, { id: placed.id, status: 'placed' }, actor)).toEqual(placed);
    await expect(build.call(changeOrderStatus, { id: placed.id, status: 'cancelled' }, actor)).resolves.toMatchObject({ status: 'cancelled' });
    await expectOrderError(build.call(changeOrderStatus, { id: placed.id, status: 'refunded' }, actor), 'CONFLICT');
    const shipped = await build.newOrder(actor, { status: 'shipped' });
    await expectOrderError(build.call(changeOrderStatus, { id: shipped.id, status: 'cancelled' }, actor), 'CONFLICT');
  });

  it("lists a contact's history newest first with keyset paging and filters by status, company and dates", async () => {
    const contactId = randomUUID();
    const companyId = randomUUID();
    const made: Order[] = [];
    for (let day = 1; day <= 7; day++) {
      made.push(await build.newOrder(actor, { contactId, companyId: day % 2 ? companyId : null, purchasedAt: `2026-10-0${day}T09:00:00.000Z` }));
    }
    // Two at the same instant: ties go by id, never lost or repeated across pages.
    made.push(await build.newOrder(actor, { contactId, purchasedAt: '2026-10-04T09:00:00.000Z' }));
    await build.newOrder(actor); // another contact's
    const seen: Order[] = [];
    let cursor: string | undefined;
    do {
      const page = await build.call(listOrders, { filter: { contactId }, limit: 3, cursor }, actor);
      seen.push(...page.data);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen.map((o) => o.id).sort()).toEqual(made.map((o) => o.id).sort());
    const times = seen.map((o) => o.purchasedAt);
    expect(times).toEqual([...times].sort().reverse());

    const byCompany = await build.call(listOrders, { filter: { companyId } }, actor);
    expect(byCompany.data.map((o) => o.purchasedAt)).toEqual(['07', '05', '03', '01'].map((d) => `2026-10-${d}T09:00:00.000Z`));
    const inRange = await build.call(listOrders, { filter: { contactId, purchasedFrom: '2026-10-02T00:00:00Z', purchasedTo: '2026-10-04T00:00:00Z' } }, actor);
    expect(inRange.data.map((o) => o.purchasedAt)).toEqual(['2026-10-03T09:00:00.000Z', '2026-10-02T09:00:00.000Z']);
    await build.call(changeOrderStatus, { id: made[0].id, status: 'paid' }, actor);
    const paid = await build.call(listOrders, { filter: { contactId, status: 'paid' } }, actor);
    expect(paid.data.map((o) => o.id)).toEqual([made[0].id]);
  });

  it("keeps tenants apart: another tenant's order is not found, not listed, not changed", async () => {
    const contactId = randomUUID();
    const order = await build.newOrder(actor, { contactId });
    const other = build.newActor();
    await expectOrderError(build.call(getOrder, { id: order.id }, other), 'NOT_FOUND');
    await expectOrderError(build.call(changeOrderStatus, { id: order.id, status: 'paid' }, other), 'NOT_FOUND');
    expect((await build.call(listOrders, { filter: { contactId } }, other)).data).toEqual([]);
  });
});
