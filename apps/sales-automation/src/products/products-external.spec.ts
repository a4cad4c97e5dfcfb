import {
  Actor,
  deleteProductsByExternalId,
  EXTERNAL_BATCH_MAX,
  getProduct,
  getProductByExternalId,
  productCreated,
  productDeleted,
  productUpdated,
  upsertProductsByExternalId,
} from '@crm/contracts';
import { expectOrderError, OrderBuilders } from '../testing/order-builders';
import { SalesAutomationTestContext } from '../testing/sales-automation-test-context';

const anvil = { sku: 'ANV-1', name: 'Anvil', unitPriceMinor: 149_00, currency: 'EUR' };

describe('products by external id (ERP upserts)', () => {
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

  const upsert = (items: { externalId: string; line?: number; record: Record<string, unknown> }[], crmOwnedFields: string[] = [], system = 'sap') =>
    build.call(upsertProductsByExternalId, { system, crmOwnedFields, items }, actor);

  it('creates, then updates only what changed, then answers unchanged (one event per written record)', async () => {
    const first = await upsert([
      { externalId: 'P-1', line: 2, record: anvil },
      { externalId: 'P-2', line: 3, record: { sku: 'HAM-1', name: 'Hammer', unitPriceMinor: 19_90, currency: 'EUR', active: false } },
    ]);
    expect(first.results).toEqual([
      { externalId: 'P-1', line: 2, outcome: 'created', id: expect.any(String) },
      { externalId: 'P-2', line: 3, outcome: 'created', id: expect.any(String) },
    ]);
    const [p1, p2] = first.results.map((r) => r.id as string);
    const created = await build.call(getProduct, { id: p1 }, actor);
    expect(created).toMatchObject({ ...anvil, externalId: 'P-1', externalSystem: 'sap', active: true, version: 1 });
    expect(await build.outboxEvents(productCreated.name, p1)).toEqual([expect.objectContaining({ data: { product: created } })]);

    // Same values again: nothing written.
    const again = await upsert([
      { externalId: 'P-1', record: anvil },
      { externalId: 'P-2', record: { name: 'Hammer' } },
    ]);
    expect(again.results.map((r) => [r.outcome, r.id])).toEqual([
      ['unchanged', p1],
      ['unchanged', p2],
    ]);
    expect(await build.call(getProduct, { id: p1 }, actor)).toEqual(created);

    // A partial record changes its fields only.
    const changed = await upsert([
      { externalId: 'P-1', record: { unitPriceMinor: 159_00 } },
      { externalId: 'P-2', record: { name: 'Hammer' } },
    ]);
    expect(changed.results.map((r) => r.outcome)).toEqual(['updated', 'unchanged']);
    const updated = await build.call(getProduct, { id: p1 }, actor);
    expect(updated).toMatchObject({ ...anvil, unitPriceMinor: 159_00, version: 2 });
    expect(await build.outboxEvents(productUpdated.name, p1)).toEqual([expect.objectContaining({ data: { product: updated, changed: ['unitPriceMinor'] } })]);
    expect(await build.outboxEvents(productUpdated.name, p2)).toEqual([]);
  });

  it('fails a bad item alone, naming its field; the rest of the batch is applied', async () => {
    const { results } = await upsert([
      { externalId: 'A', line: 1, record: { ...anvil, sku: 'A-1', unitPriceMinor: 9.99 } },
      { externalId: 'B', line: 2, record: { ...anvil, sku: 'B-1' } },
      { externalId: 'C', line: 3, record: { name: 'No SKU, no price' } },
      { externalId: 'D', line: 4, record: { ...anvil, sku: 'D-1', currency: 'XYZ' } },
    ]);
    expect(results.map((r) => r.outcome)).toEqual(['failed', 'created', 'failed', 'failed']);
    expect(results[0]).toMatchObject({ line: 1, error: { code: 'VALIDATION_FAILED', fields: [{ field: 'record.unitPriceMinor' }] } });
    expect(results[2].error?.fields?.map((f) => f.field).sort()).toEqual(['record.currency', 'record.sku', 'record.unitPriceMinor']);
    expect(results[3].error?.fields?.map((f) => f.field)).toEqual(['record.currency']);
    await expectOrderError(build.call(getProductByExternalId, { system: 'sap', externalId: 'A' }, actor), 'NOT_FOUND');
    expect(await build.call(getProductByExternalId, { system: 'sap', externalId: 'B' }, actor)).toMatchObject({ sku: 'B-1', externalId: 'B' });
  });

  it("reads a CSV row's text cells (whole numbers, booleans) and refuses text that is neither, naming the field", async () => {
    const { results } = await upsert([
      { externalId: 'CSV-1', line: 2, record: { sku: 'CSV-1', name: 'From CSV', unitPriceMinor: '1490', currency: 'EUR', active: 'false' } },
      { externalId: 'CSV-2', line: 3, record: { sku: 'CSV-2', name: 'From CSV', unitPriceMinor: '14.90', currency: 'EUR', active: 'maybe' } },
    ]);
    expect(results.map((r) => r.outcome)).toEqual(['created', 'failed']);
    expect(await build.call(getProductByExternalId, { system: 'sap', externalId: 'CSV-1' }, actor)).toMatchObject({ unitPriceMinor: 1490, active: false });
    expect(results[1].error?.fields?.map((f) => f.field).sort()).toEqual(['record.active', 'record.unitPriceMinor']);
    // The same row again: unchanged.
    const again = await upsert([{ externalId: 'CSV-1', record: { sku: 'CSV-1', name: 'From CSV', unitPriceMinor: '1490', currency: 'EUR', active: 'false' } }]);
    expect(again.results[0].outcome).toBe('unchanged');
  });

  it('fails an item whose SKU another product holds (or an earlier item takes), and a repeated external id', async () => {
    await build.newProduct(actor, { sku: 'TAKEN' });
    const { results } = await upsert([
      { externalId: 'X', record: { ...anvil, sku: 'TAKEN' } },
      { externalId: 'Y', record: { ...anvil, sku: 'NEW' } },
      { externalId: 'Z', record: { ...anvil, sku: 'NEW' } },
      { externalId: 'Y', record: { ...anvil, sku: 'OTHER' } },
    ]);
    expect(results.map((r) => [r.outcome, r.error?.code, r.error?.fields?.[0]?.field])).toEqual([
      ['failed', 'CONFLICT', 'record.sku'],
      ['created', undefined, undefined],
      ['failed', 'CONFLICT', 'record.sku'],
      ['failed', 'VALIDATION_FAILED', 'externalId'],
    ]);
    expect(await build.call(getProductByExternalId, { system: 'sap', externalId: 'Y' }, actor)).toMatchObject({ sku: 'NEW' });
  });

  it('keeps CRM-owned fields on update (reported as conflicts) but writes them on create', async () => {
    const [{ id }] = (await upsert([{ externalId: 'O-1', record: anvil }], ['name'])).results;
    expect(await build.call(getProduct, { id: id as string }, actor)).toMatchObject({ name: 'Anvil' });
    const { results } = await upsert([{ externalId: 'O-1', record: { name: 'ERP name', unitPriceMinor: 1_00 } }], ['name']);
    expect(results).toEqual([{ externalId: 'O-1', outcome: 'updated', id, conflicts: [{ field: 'name', incoming: 'ERP name' }] }]);
    expect(await build.call(getProduct, { id: id as string }, actor)).toMatchObject({ name: 'Anvil', unitPriceMinor: 1_00 });
    // The same owned value as the CRM's is no conflict.
    expect((await upsert([{ externalId: 'O-1', record: { name: 'Anvil' } }], ['name'])).results[0]).toEqual({ externalId: 'O-1', outcome: 'unchanged', id });
  });

  it('keys by tenant and system: another tenant or system is another product, and never sees this one', async () => {
    const [{ id }] = (await upsert([{ externalId: 'K-1', record: anvil }])).results;
    const other = build.newActor();
    const theirs = await build.call(upsertProductsByExternalId, { system: 'sap', crmOwnedFields: [], items: [{ externalId: 'K-1', record: anvil }] }, other);
    expect(theirs.results[0]).toMatchObject({ outcome: 'created' });
    expect(theirs.results[0].id).not.toBe(id);
    await expectOrderError(build.call(getProduct, { id: id as string }, other), 'NOT_FOUND');
    // Another system of the same tenant: another record.
    const otherSystem = await upsert([{ externalId: 'K-1', record: { ...anvil, sku: 'ANV-2' } }], [], 'navision');
    expect(otherSystem.results[0]).toMatchObject({ outcome: 'created' });
    expect(await build.call(getProductByExternalId, { system: 'sap', externalId: 'K-1' }, actor)).toMatchObject({ id, sku: 'ANV-1' });
  });

  it('deletes by external id (events, NOT_FOUND for unknown), and an upsert brings a deleted product back', async () => {
    const [{ id }] = (await upsert([{ externalId: 'D-1', record: anvil }])).results;
    const { results } = await build.call(deleteProductsByExternalId, { system: 'sap', items: [{ externalId: 'D-1', line: 7 }, { externalId: 'nope' }] }, actor);
    expect(results).toEqual([
      { externalId: 'D-1', line: 7, outcome: 'deleted', id },
      {
        externalId: 'nope',
        outcome: 'failed',
        error: { code: 'NOT_FOUND', message: expect.any(String), fields: [{ field: 'externalId', message: 'no such product' }] },
      },
    ]);
    expect(await build.outboxEvents(productDeleted.name, id as string)).toHaveLength(1);
    await expectOrderError(build.call(getProductByExternalId, { system: 'sap', externalId: 'D-1' }, actor), 'NOT_FOUND');
    // Deleting again: nothing left to delete.
    expect((await build.call(deleteProductsByExternalId, { system: 'sap', items: [{ externalId: 'D-1' }] }, actor)).results[0].outcome).toBe('failed');
    // Back, whole (a partial record would not do for a product not in the catalogue).
    expect((await upsert([{ externalId: 'D-1', record: { name: 'Only a name' } }])).results[0].outcome).toBe('failed');
    expect((await upsert([{ externalId: 'D-1', record: anvil }])).results[0]).toEqual({ externalId: 'D-1', outcome: 'created', id });
    expect(await build.call(getProductByExternalId, { system: 'sap', externalId: 'D-1' }, actor)).toMatchObject({ id, sku: 'ANV-1' });
  });

  it('applies a full batch (1,000 items) in one go, and the same batch again changes nothing', async () => {
    const items = Array.from({ length: EXTERNAL_BATCH_MAX }, (_, i) => ({
      externalId: `M-${i}`,
      line: i + 2,
      record: { sku: `M-${i}`, name: `Material ${i}`, unitPriceMinor: i, currency: 'EUR' },
    }));
    const first = await upsert(items);
    expect(first.results.filter((r) => r.outcome === 'created')).toHaveLength(EXTERNAL_BATCH_MAX);
    expect(first.results.map((r) => r.line)).toEqual(items.map((item) => item.line));
    const again = await upsert(items);
    expect(again.results.filter((r) => r.outcome === 'unchanged')).toHaveLength(EXTERNAL_BATCH_MAX);
    expect(again.results.map((r) => r.id)).toEqual(first.results.map((r) => r.id));
    const created = await ctx.database
      .selectFrom('outbox_message')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('type', '=', productCreated.name)
      .where('tenant_id', '=', actor.tenantId)
      .executeTakeFirstOrThrow();
    expect(Number(created.n)).toBe(EXTERNAL_BATCH_MAX);
  });

  it('answers 404 for another tenant through get-external', async () => {
    await upsert([{ externalId: 'T-1', record: anvil }]);
    await expectOrderError(build.call(getProductByExternalId, { system: 'sap', externalId: 'T-1' }, build.newActor()), 'NOT_FOUND');
  });
});
