import { expectProblem, Json, summary } from '../api-client';
import { created, ids, sharedSystem, signUpTenant, Tenant, userWithRole } from './support/crm-api';

/** Products and purchase history through the gateway: computed totals, status changes with If-Match, roles, tenants, bad input. */
describe('sales: products and orders (e2e)', () => {
  const { api, run } = sharedSystem();
  let A: Tenant;
  let B: Tenant;
  let viewerToken: string;
  let contact: Json;
  let widget: Json;

  beforeAll(async () => {
    A = await signUpTenant(api, run, 'sales-orders-a');
    B = await signUpTenant(api, run, 'sales-orders-b');
    viewerToken = await userWithRole(api, A, `viewer-sales-orders-${run}@example.test`, 'viewer');
    contact = await created(api.post('/api/v1/contacts', { firstName: 'Ada', lastName: 'Buyer' }, A.token));
    widget = await created(api.post('/api/v1/products', { sku: 'W-100', name: 'Widget', unitPriceMinor: 12_50, currency: 'EUR' }, A.token));
  });

  it('products: create, 409 naming sku, list by name with a filter, update with If-Match (stale: 412), delete', async () => {
    expect(widget).toMatchObject({ sku: 'W-100', unitPriceMinor: 12_50, currency: 'EUR', active: true, version: 1 });
    expectProblem(await api.post('/api/v1/products', { sku: 'W-100', name: 'Widget again', unitPriceMinor: 1, currency: 'EUR' }, A.token), 409, ['sku']);
    const bolt = await created(api.post('/api/v1/products', { sku: 'B-1', name: 'Bolt', unitPriceMinor: 25, currency: 'EUR', active: false }, A.token));
    const all = await api.get('/api/v1/products', A.token);
    expect(summary(all)).toMatchObject({ status: 200, body: { nextCursor: null } });
    expect(all.body.data.map((p: Json) => p.name)).toEqual(['Bolt', 'Widget']);
    expect(ids(await api.get('/api/v1/products?active=true', A.token))).toEqual([widget.id]);
    expect(ids(await api.get('/api/v1/products?q=b-1', A.token))).toEqual([bolt.id]);

    const path = `/api/v1/products/${bolt.id}`;
    const updated = await api.patch(path, { unitPriceMinor: 30 }, A.token, { 'if-match': '"1"' });
    expect(summary(updated)).toMatchObject({ status: 200, body: { unitPriceMinor: 30, version: 2 } });
    expect(updated.headers.get('etag')).toBe('"2"');
    expectProblem(await api.patch(path, { unitPriceMinor: 40 }, A.token, { 'if-match': '"1"' }), 412);
    expect(summary(await api.delete(path, A.token, { 'if-match': '"2"' }))).toMatchObject({ status: 204 });
    expectProblem(await api.get(path, A.token), 404);
  });

  it("orders: record with computed totals, read, move through statuses with If-Match, list the contact's history", async () => {
    const recorded = await api.post(
      '/api/v1/orders',
      {
        contactId: contact.id,
        currency: 'EUR',
        purchasedAt: '2026-11-20T10:00:00Z',
        channel: 'web',
        externalId: 'SO-1',
        externalSystem: 'erp',
        lines: [
          { productId: widget.id, quantity: 4, discountMinor: 5_00 },
          { name: 'Shipping', quantity: 1, unitPriceMinor: 4_90 },
        ],
      },
      A.token,
    );
    expect(summary(recorded)).toMatchObject({
      status: 201,
      body: {
        contactId: contact.id,
        subtotalMinor: 54_90,
        discountMinor: 5_00,
        totalMinor: 49_90,
        status: 'placed',
        lines: [
          { productId: widget.id, sku: 'W-100', name: 'Widget', totalMinor: 45_00 },
          { productId: null, name: 'Shipping', totalMinor: 4_90 },
        ],
      },
    });
    const order = recorded.body;
    expect(recorded.headers.get('location')).toBe(`/api/v1/orders/${order.id}`);
    expect(summary(await api.get(`/api/v1/orders/${order.id}`, A.token))).toMatchObject({ status: 200, body: { id: order.id, version: 1 } });
    const again = await api.post(
      '/api/v1/orders',
      {
        contactId: contact.id,
        currency: 'EUR',
        purchasedAt: '2026-11-20T10:00:00Z',
        externalId: 'SO-1',
        externalSystem: 'erp',
        lines: [{ name: 'x', quantity: 1, unitPriceMinor: 1 }],
      },
      A.token,
    );
    expectProblem(again, 409, ['externalId']);

    const status = `/api/v1/orders/${order.id}/status`;
    expect(summary(await api.post(status, { status: 'paid' }, A.token, { 'if-match': '"1"' }))).toMatchObject({
      status: 200,
      body: { status: 'paid', version: 2 },
    });
    expectProblem(await api.post(status, { status: 'shipped' }, A.token, { 'if-match': '"1"' }), 412);
    expect(summary(await api.post(status, { status: 'shipped' }, A.token, { 'if-match': '"2"' }))).toMatchObject({ status: 200, body: { status: 'shipped' } });
    const refused = await api.post(status, { status: 'cancelled' }, A.token);
    expectProblem(refused, 409);
    expect(refused.body).toMatchObject({ code: 'INVALID_STATUS_TRANSITION' });

    const older = await created(
      api.post(
        '/api/v1/orders',
        { contactId: contact.id, currency: 'EUR', purchasedAt: '2026-10-01T10:00:00Z', lines: [{ productId: widget.id, quantity: 1 }] },
        A.token,
      ),
    );
    const history = await api.get(`/api/v1/contacts/${contact.id}/orders?limit=1`, A.token);
    expect(summary(history)).toMatchObject({ status: 200 });
    expect(ids(history)).toEqual([order.id]);
    const next = await api.get(`/api/v1/contacts/${contact.id}/orders?limit=1&cursor=${encodeURIComponent(history.body.nextCursor)}`, A.token);
    expect(ids(next)).toEqual([older.id]);
    expect(ids(await api.get(`/api/v1/orders?contactId=${contact.id}&status=shipped`, A.token))).toEqual([order.id]);
    expect(ids(await api.get(`/api/v1/orders?purchasedFrom=2026-09-01T00:00:00Z&purchasedTo=2026-11-01T00:00:00Z`, A.token))).toEqual([older.id]);
  });

  it('a viewer reads but cannot write (403); tenant B sees none of it (404, empty lists)', async () => {
    const order = await created(
      api.post(
        '/api/v1/orders',
        { contactId: contact.id, currency: 'EUR', purchasedAt: '2026-11-21T10:00:00Z', lines: [{ productId: widget.id, quantity: 2 }] },
        A.token,
      ),
    );
    expect(summary(await api.get(`/api/v1/orders/${order.id}`, viewerToken))).toMatchObject({ status: 200 });
    expect(summary(await api.get('/api/v1/products', viewerToken))).toMatchObject({ status: 200 });
    expectProblem(
      await api.post(
        '/api/v1/orders',
        { contactId: contact.id, currency: 'EUR', purchasedAt: '2026-11-21T10:00:00Z', lines: [{ productId: widget.id, quantity: 1 }] },
        viewerToken,
      ),
      403,
    );
    expectProblem(await api.post(`/api/v1/orders/${order.id}/status`, { status: 'paid' }, viewerToken), 403);
    expectProblem(await api.post('/api/v1/products', { sku: 'V-1', name: 'Nope', unitPriceMinor: 1, currency: 'EUR' }, viewerToken), 403);

    expectProblem(await api.get(`/api/v1/orders/${order.id}`, B.token), 404);
    expectProblem(await api.post(`/api/v1/orders/${order.id}/status`, { status: 'paid' }, B.token), 404);
    expectProblem(await api.get(`/api/v1/products/${widget.id}`, B.token), 404);
    expect(ids(await api.get(`/api/v1/contacts/${contact.id}/orders`, B.token))).toEqual([]);
    expect(ids(await api.get('/api/v1/products', B.token))).toEqual([]);
  });

  it('invalid money, currency, quantity and dates answer 400 naming the field', async () => {
    const order = { contactId: contact.id, currency: 'EUR', purchasedAt: '2026-11-20T10:00:00Z' };
    const line = { name: 'Thing', quantity: 1, unitPriceMinor: 1_00 };
    const cases: [Json, string][] = [
      [{ ...order, lines: [{ ...line, unitPriceMinor: 9.99 }] }, 'lines.0.unitPriceMinor'],
      [{ ...order, lines: [{ ...line, unitPriceMinor: -1 }] }, 'lines.0.unitPriceMinor'],
      [{ ...order, currency: 'EURO', lines: [line] }, 'currency'],
      [{ ...order, lines: [{ ...line, quantity: 0 }] }, 'lines.0.quantity'],
      [{ ...order, lines: [{ ...line, quantity: 2.5 }] }, 'lines.0.quantity'],
      [{ ...order, purchasedAt: '2026-02-30', lines: [line] }, 'purchasedAt'],
      [{ ...order, lines: [{ ...line, discountMinor: 2_00 }] }, 'lines.0.discountMinor'],
      [{ ...order, currency: 'USD', lines: [{ productId: widget.id, quantity: 1 }] }, 'currency'],
    ];
    for (const [body, field] of cases) expectProblem(await api.post('/api/v1/orders', body, A.token), 400, [field]);
    expectProblem(await api.post('/api/v1/products', { sku: 'P', name: 'P', unitPriceMinor: 1.5, currency: 'EUR' }, A.token), 400, ['unitPriceMinor']);
    expectProblem(await api.post('/api/v1/products', { sku: 'P', name: 'P', unitPriceMinor: 1, currency: 'ABC' }, A.token), 400, ['currency']);
    expectProblem(await api.get('/api/v1/orders?purchasedFrom=yesterday', A.token), 400, ['purchasedFrom']);
    expectProblem(await api.post(`/api/v1/orders/${widget.id}/status`, { status: 'lost' }, A.token), 400, ['status']);
  });
});
