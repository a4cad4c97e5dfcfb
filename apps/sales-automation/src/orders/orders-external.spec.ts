import { randomUUID } from 'node:crypto';
import {
  Actor,
  getOrder,
  getOrderByExternalId,
  orderRecorded,
  orderStatusChanged,
  orderUpdated,
  upsertOrdersByExternalId,
  upsertProductsByExternalId,
} from '@crm/contracts';
import { startTestResponder } from '@crm/testing';
import { expectOrderError, OrderBuilders } from '../testing/order-builders';
import { SalesAutomationTestContext } from '../testing/sales-automation-test-context';

/** The contacts stand-in's customers: tenant → `${system}/${externalId}` → contact id. */
const customers = new Map<string, Map<string, string>>();
const knownCustomer = (tenantId: string, system: string, externalId: string): string => {
  const id = randomUUID();
  if (!customers.has(tenantId)) customers.set(tenantId, new Map());
  customers.get(tenantId)?.set(`${system}/${externalId}`, id);
  return id;
};

const order = (record: Record<string, unknown> = {}) => ({
  customerExternalId: 'C-1',
  currency: 'EUR',
  purchasedAt: '2026-11-20T10:00:00.000Z',
  lines: [{ name: 'Service hour', quantity: 2, unitPriceMinor: 50_00 }],
  ...record,
});

describe('orders by external id (ERP upserts)', () => {
  let ctx: SalesAutomationTestContext;
  let build: OrderBuilders;
  let contacts: { close(): Promise<void> };
  let actor: Actor;
  let customerId: string;
  const resolveCalls: unknown[] = [];

  beforeAll(async () => {
    ctx = await SalesAutomationTestContext.start();
    build = new OrderBuilders(ctx);
    contacts = await startTestResponder({
      service: 'contacts',
      busPrefix: (ctx.service.config as { BUS_NAME_PREFIX: string }).BUS_NAME_PREFIX,
      handlers: {
        'contacts.contact.resolve-external.v1': (request, call) => {
          resolveCalls.push(request);
          const { system, externalIds } = request as { system: string; externalIds: string[] };
          const known = customers.get(call.actor?.tenantId ?? '') ?? new Map<string, string>();
          return { ids: Object.fromEntries(externalIds.flatMap((id) => (known.has(`${system}/${id}`) ? [[id, known.get(`${system}/${id}`)]] : []))) };
        },
      },
    });
  });
  afterAll(async () => {
    await contacts?.close();
    await ctx?.close();
  });
  beforeEach(() => {
    actor = build.newActor();
    customerId = knownCustomer(actor.tenantId, 'sap', 'C-1');
  });

  const upsert = (items: { externalId: string; line?: number; record: Record<string, unknown> }[], crmOwnedFields: string[] = [], as: Actor = actor) =>
    build.call(upsertOrdersByExternalId, { system: 'sap', crmOwnedFields, items }, as);

  it('records a new order as record-order does (customer by the ERP id, lines by product external id), order.recorded in the outbox', async () => {
    const products = await build.call(
      upsertProductsByExternalId,
      { system: 'sap', crmOwnedFields: [], items: [{ externalId: 'MAT-1', record: { sku: 'W-1', name: 'Widget', unitPriceMinor: 12_50, currency: 'EUR' } }] },
      actor,
    );
    const { results } = await upsert([
      {
        externalId: 'SO-1',
        line: 2,
        record: order({
          lines: [
            { productExternalId: 'MAT-1', quantity: 4 },
            { name: 'Shipping', quantity: 1, unitPriceMinor: 4_90 },
          ],
          invoice: { number: 'INV-1', status: 'issued', issuedAt: '2026-11-21T00:00:00Z' },
          paymentStatus: 'unpaid',
        }),
      },
    ]);
    expect(results).toEqual([{ externalId: 'SO-1', line: 2, outcome: 'created', id: expect.any(String) }]);
    const recorded = await build.call(getOrder, { id: results[0].id as string }, actor);
    expect(recorded).toMatchObject({
      contactId: customerId,
      channel: 'erp',
      status: 'placed',
      externalSystem: 'sap',
      externalId: 'SO-1',
      totalMinor: 4 * 12_50 + 4_90,
      invoice: { number: 'INV-1', status: 'issued', issuedAt: '2026-11-21T00:00:00.000Z', dueAt: null },
      paymentStatus: 'unpaid',
      paidAt: null,
      lines: [
        { productId: products.results[0].id, sku: 'W-1', name: 'Widget', quantity: 4, unitPriceMinor: 12_50 },
        { productId: null, name: 'Shipping' },
      ],
    });
    expect(await build.outboxEvents(orderRecorded.name, recorded.id)).toEqual([expect.objectContaining({ data: { order: recorded } })]);
    expect(await build.call(getOrderByExternalId, { system: 'sap', externalId: 'SO-1' }, actor)).toEqual(recorded);
    expect(resolveCalls).toContainEqual({ system: 'sap', externalIds: ['C-1'] });
  });

  it('fails an unknown customer, an unknown product or a bad record alone, naming the field', async () => {
    const { results } = await upsert([
      { externalId: 'SO-A', line: 1, record: order({ customerExternalId: 'NOBODY' }) },
      { externalId: 'SO-B', line: 2, record: order({ lines: [{ productExternalId: 'NO-SUCH', quantity: 1 }] }) },
      { externalId: 'SO-C', line: 3, record: order({ currency: 'EURO' }) },
      { externalId: 'SO-D', line: 4, record: order({ customerExternalId: undefined }) },
      { externalId: 'SO-E', line: 5, record: order() },
    ]);
    expect(results.map((r) => [r.outcome, r.error?.code, r.error?.fields?.map((f) => f.field)])).toEqual([
      ['failed', 'NOT_FOUND', ['record.customerExternalId']],
      ['failed', 'NOT_FOUND', ['record.lines.0.productExternalId']],
      ['failed', 'VALIDATION_FAILED', ['record.currency']],
      ['failed', 'VALIDATION_FAILED', ['record.contactId']],
      ['created', undefined, undefined],
    ]);
    await expectOrderError(build.call(getOrderByExternalId, { system: 'sap', externalId: 'SO-A' }, actor), 'NOT_FOUND');
  });

  it('updates a known order with the ERP status, invoice and payment; the same facts again are unchanged', async () => {
    const [{ id }] = (await upsert([{ externalId: 'SO-2', record: order() }])).results;
    const facts = { status: 'paid', invoice: { number: 'INV-2', status: 'issued' }, paymentStatus: 'paid', paidAt: '2026-11-25T09:00:00Z' };
    const { results } = await upsert([{ externalId: 'SO-2', record: { ...order(), ...facts } }]);
    expect(results).toEqual([{ externalId: 'SO-2', outcome: 'updated', id }]);
    const paid = await build.call(getOrder, { id: id as string }, actor);
    expect(paid).toMatchObject({
      status: 'paid',
      invoice: { number: 'INV-2', status: 'issued', issuedAt: null, dueAt: null },
      paymentStatus: 'paid',
      paidAt: '2026-11-25T09:00:00.000Z',
      version: 2,
    });
    expect(await build.outboxEvents(orderStatusChanged.name, id as string)).toEqual([
      expect.objectContaining({ data: { order: paid, previousStatus: 'placed' } }),
    ]);
    expect(await build.outboxEvents(orderUpdated.name, id as string)).toEqual([
      expect.objectContaining({ data: { order: paid, changed: ['invoice', 'paymentStatus', 'paidAt'] } }),
    ]);

    expect((await upsert([{ externalId: 'SO-2', record: { ...order(), ...facts } }])).results[0]).toEqual({ externalId: 'SO-2', outcome: 'unchanged', id });
    expect(await build.call(getOrder, { id: id as string }, actor)).toEqual(paid);

    // A payment change alone: order.updated only.
    expect((await upsert([{ externalId: 'SO-2', record: { paymentStatus: 'refunded' } }])).results[0].outcome).toBe('updated');
    expect(await build.outboxEvents(orderStatusChanged.name, id as string)).toHaveLength(1);
    expect(await build.outboxEvents(orderUpdated.name, id as string)).toHaveLength(2);
  });

  it('fails a refused status transition alone (INVALID_STATUS_TRANSITION naming record.status); CRM-owned fields are conflicts', async () => {
    const created = (
      await upsert([
        { externalId: 'SO-3', record: order({ status: 'shipped' }) },
        { externalId: 'SO-4', record: order() },
      ])
    ).results;
    const { results } = await upsert(
      [
        { externalId: 'SO-3', record: { status: 'placed' } },
        { externalId: 'SO-4', record: { status: 'paid', paymentStatus: 'paid' } },
      ],
      ['status'],
    );
    // SO-3: status is CRM-owned here, so no transition is tried: a conflict, the rest unchanged.
    expect(results[0]).toEqual({ externalId: 'SO-3', outcome: 'unchanged', id: created[0].id, conflicts: [{ field: 'status', incoming: 'placed' }] });
    expect(results[1]).toEqual({ externalId: 'SO-4', outcome: 'updated', id: created[1].id, conflicts: [{ field: 'status', incoming: 'paid' }] });
    expect(await build.call(getOrder, { id: created[1].id as string }, actor)).toMatchObject({ status: 'placed', paymentStatus: 'paid' });

    const refused = await upsert([
      { externalId: 'SO-3', record: { status: 'placed' } },
      { externalId: 'SO-4', record: { status: 'cancelled' } },
    ]);
    expect(refused.results[0]).toMatchObject({
      outcome: 'failed',
      id: created[0].id,
      error: { code: 'CONFLICT', fields: [{ field: 'record.status' }] },
    });
    expect(refused.results[1]).toMatchObject({ outcome: 'updated' });
    expect(await build.call(getOrder, { id: created[0].id as string }, actor)).toMatchObject({ status: 'shipped', version: 1 });
    // The other item of that batch (one command, one transaction) is written all the same.
    expect(await build.call(getOrder, { id: created[1].id as string }, actor)).toMatchObject({ status: 'cancelled', version: 3 });
  });

  it("keys by tenant: another tenant's same external id is its own order, and this one answers 404 there", async () => {
    const [{ id }] = (await upsert([{ externalId: 'SO-5', record: order() }])).results;
    const other = build.newActor();
    knownCustomer(other.tenantId, 'sap', 'C-1');
    const theirs = (await upsert([{ externalId: 'SO-5', record: order() }], [], other)).results[0];
    expect(theirs).toMatchObject({ outcome: 'created' });
    expect(theirs.id).not.toBe(id);
    await expectOrderError(build.call(getOrder, { id: id as string }, other), 'NOT_FOUND');
    // A customer known only in the other tenant is unknown here.
    knownCustomer(other.tenantId, 'sap', 'ONLY-THERE');
    expect((await upsert([{ externalId: 'SO-6', record: order({ customerExternalId: 'ONLY-THERE' }) }])).results[0]).toMatchObject({
      outcome: 'failed',
      error: { code: 'NOT_FOUND' },
    });
  });

  it("reads a CSV row's line numbers from their text", async () => {
    const { results } = await upsert([
      { externalId: 'SO-8', record: order({ lines: [{ name: 'Hours', quantity: '3', unitPriceMinor: '2500', discountMinor: '500' }] }) },
    ]);
    expect(results[0].outcome).toBe('created');
    expect(await build.call(getOrder, { id: results[0].id as string }, actor)).toMatchObject({ totalMinor: 3 * 2500 - 500 });
  });

  it('fails a repeated external id in one batch, recording the order once', async () => {
    const { results } = await upsert([
      { externalId: 'SO-7', record: order() },
      { externalId: 'SO-7', record: order() },
    ]);
    expect(results.map((r) => [r.outcome, r.error?.code, r.error?.fields])).toEqual([
      ['created', undefined, undefined],
      ['failed', 'VALIDATION_FAILED', [{ field: 'externalId', message: 'appears earlier in the batch' }]],
    ]);
    expect((await upsert([{ externalId: 'SO-7', record: order() }])).results[0]).toEqual({ externalId: 'SO-7', outcome: 'unchanged', id: results[0].id });
  });
});
