import {
  Actor,
  deleteProduct,
  getProduct,
  listProducts,
  Product,
  productCreated,
  productDeleted,
  productUpdated,
  updateProduct,
  createProduct,
} from '@crm/contracts';
import { expectOrderError, namedFields, OrderBuilders } from '../testing/order-builders';
import { SalesAutomationTestContext } from '../testing/sales-automation-test-context';

describe('products', () => {
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

  it('creates a product and reads it back', async () => {
    const product = await build.newProduct(actor, {
      sku: 'ABC-1',
      name: 'Anvil',
      description: 'Heavy',
      unitPriceMinor: 149_00,
      currency: 'USD',
      externalId: 'erp-1',
    });
    expect(product).toMatchObject({
      sku: 'ABC-1',
      name: 'Anvil',
      description: 'Heavy',
      unitPriceMinor: 149_00,
      currency: 'USD',
      active: true,
      externalId: 'erp-1',
      version: 1,
    });
    expect(await build.call(getProduct, { id: product.id }, actor)).toEqual(product);
  });

  it('answers 409 naming sku (or externalId) when the tenant has it already; another tenant may use it', async () => {
    await build.newProduct(actor, { sku: 'DUP', externalId: 'X-1' });
    const sku = await expectOrderError(build.newProduct(actor, { sku: 'DUP' }), 'CONFLICT');
    expect(namedFields(sku)).toEqual(['sku']);
    expect(sku.details).toMatchObject({ problemCode: 'SKU_TAKEN' });
    const external = await expectOrderError(build.newProduct(actor, { externalId: 'X-1' }), 'CONFLICT');
    expect(namedFields(external)).toEqual(['externalId']);
    await expect(build.newProduct(build.newActor(), { sku: 'DUP', externalId: 'X-1' })).resolves.toMatchObject({ sku: 'DUP' });
  });

  it('refuses invalid money and currency naming the field', async () => {
    const fieldsOf = async (product: unknown) =>
      namedFields(await expectOrderError(build.callUnchecked(createProduct, { product }, actor), 'VALIDATION_FAILED'));
    const valid = { sku: 'V', name: 'Valid', unitPriceMinor: 1_00, currency: 'EUR' };
    expect(await fieldsOf({ ...valid, unitPriceMinor: 1.5 })).toEqual(['product.unitPriceMinor']);
    expect(await fieldsOf({ ...valid, unitPriceMinor: '100' })).toEqual(['product.unitPriceMinor']);
    expect(await fieldsOf({ ...valid, currency: 'eur' })).toEqual(['product.currency']);
  });

  it('updates with If-Match, answers 409 on a taken SKU, and soft-deletes', async () => {
    const product = await build.newProduct(actor);
    const other = await build.newProduct(actor);
    const updated = await build.call(updateProduct, { id: product.id, expectedVersion: 1, patch: { unitPriceMinor: 12_00, active: false } }, actor);
    expect(updated).toMatchObject({ unitPriceMinor: 12_00, active: false, version: 2 });
    await expectOrderError(build.call(updateProduct, { id: product.id, expectedVersion: 1, patch: { name: 'Stale' } }, actor), 'PRECONDITION_FAILED');
    const taken = await expectOrderError(build.call(updateProduct, { id: product.id, patch: { sku: other.sku } }, actor), 'CONFLICT');
    expect(namedFields(taken)).toEqual(['sku']);
    expect(await build.call(updateProduct, { id: product.id, patch: {} }, actor)).toEqual(updated);
    await expectOrderError(build.call(deleteProduct, { id: product.id, expectedVersion: 1 }, actor), 'PRECONDITION_FAILED');
    expect(await build.call(deleteProduct, { id: product.id, expectedVersion: 2 }, actor)).toEqual({ id: product.id, deleted: true });
    await expectOrderError(build.call(getProduct, { id: product.id }, actor), 'NOT_FOUND');
  });

  it('publishes product.created, product.updated (the changed fields) and product.deleted through the outbox', async () => {
    const product = await build.newProduct(actor, { name: 'Anvil', unitPriceMinor: 10_00 });
    expect(await build.outboxEvents(productCreated.name, product.id)).toEqual([expect.objectContaining({ data: { product }, entityversion: 1 })]);
    const updated = await build.call(updateProduct, { id: product.id, patch: { name: 'Anvil', unitPriceMinor: 12_00, active: false } }, actor);
    expect(await build.outboxEvents(productUpdated.name, product.id)).toEqual([
      expect.objectContaining({ data: { product: updated, changed: ['unitPriceMinor', 'active'] }, entityversion: 2 }),
    ]);
    await build.call(updateProduct, { id: product.id, patch: {} }, actor);
    expect(await build.outboxEvents(productUpdated.name, product.id)).toHaveLength(1);
    await build.call(deleteProduct, { id: product.id }, actor);
    expect(await build.outboxEvents(productDeleted.name, product.id)).toEqual([
      expect.objectContaining({ data: { productId: product.id, deletedAt: expect.any(String) }, entityversion: 3 }),
    ]);
  });

  it('publishes nothing for a write that fails (a taken SKU)', async () => {
    const product = await build.newProduct(actor);
    const other = await build.newProduct(actor);
    await expectOrderError(build.call(updateProduct, { id: product.id, patch: { sku: other.sku } }, actor), 'CONFLICT');
    expect(await build.outboxEvents(productUpdated.name, product.id)).toEqual([]);
  });

  it('lists by name with cursor paging, filtered by active and by text in the name or SKU', async () => {
    const names = ['Delta', 'alpha', 'Charlie', 'Bravo', 'Echo'];
    const made: Product[] = [];
    for (const name of names) made.push(await build.newProduct(actor, { name, sku: `S-${name.toUpperCase()}`, active: name !== 'Echo' }));
    const seen: Product[] = [];
    let cursor: string | undefined;
    do {
      const page = await build.call(listProducts, { limit: 2, cursor }, actor);
      seen.push(...page.data);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen.map((p) => p.id).sort()).toEqual(made.map((p) => p.id).sort());
    expect((await build.call(listProducts, { filter: { active: false } }, actor)).data.map((p) => p.name)).toEqual(['Echo']);
    expect((await build.call(listProducts, { filter: { q: 'ravo' } }, actor)).data.map((p) => p.name)).toEqual(['Bravo']);
    expect((await build.call(listProducts, { filter: { q: 's-char' } }, actor)).data.map((p) => p.name)).toEqual(['Charlie']);
    expect((await build.call(listProducts, { filter: { q: '%' } }, actor)).data).toEqual([]);
  });

  it("keeps tenants apart: another tenant's product is not found, listed, changed or deleted", async () => {
    const product = await build.newProduct(actor);
    const other = build.newActor();
    await expectOrderError(build.call(getProduct, { id: product.id }, other), 'NOT_FOUND');
    await expectOrderError(build.call(updateProduct, { id: product.id, patch: { name: 'Mine' } }, other), 'NOT_FOUND');
    await expectOrderError(build.call(deleteProduct, { id: product.id }, other), 'NOT_FOUND');
    expect((await build.call(listProducts, {}, other)).data).toEqual([]);
  });
});
