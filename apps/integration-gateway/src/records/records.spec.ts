import { randomUUID } from 'node:crypto';
import {
  deleteContactsByExternalId,
  ExternalItemResult,
  getCompanyByExternalId,
  getOrderByExternalId,
  getContactByExternalId,
  resolveContactExternalIds,
  upsertCompaniesByExternalId,
  upsertContactsByExternalId,
  upsertOrdersByExternalId,
  DomainError,
} from '@crm/contracts';
import { startTestResponder, TestCall } from '@crm/testing';
import type { AppConfig } from '../app.config';
import type { ErpClient } from '../erp-auth/erp-client';
import { IntegrationGatewayTestContext } from '../testing/integration-gateway-test-context';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/**
 * Records keyed by (tenant, system, external id), as the owning services keep them: upsert
 * (created / updated / unchanged, CRM-owned fields kept and reported), delete, get. One store per
 * object; `firstName: ''` or `name: ''` fails the item as the service's validation would.
 */
class StandInOwner {
  readonly records = new Map<string, { id: string; record: Record<string, unknown> }>();
  readonly received: { name: string; request: Json; tenantId: string }[] = [];

  private key = (tenantId: string, system: string, externalId: string) => `${tenantId}|${system}|${externalId}`;

  upsert(request: Json, { actor }: TestCall) {
    const results: ExternalItemResult[] = request.items.map((item: Json) => {
      const bad = Object.entries(item.record).filter(([field, value]) => ['firstName', 'name'].includes(field) && value === '');
      if (bad.length)
        return {
          externalId: item.externalId,
          outcome: 'failed',
          error: { code: 'VALIDATION_FAILED', message: 'The record is invalid.', fields: bad.map(([field]) => ({ field, message: 'must not be empty' })) },
        };
      const key = this.key(actor.tenantId, request.system, item.externalId);
      const known = this.records.get(key);
      if (!known) {
        const created = { id: randomUUID(), record: item.record };
        this.records.set(key, created);
        return { externalId: item.externalId, outcome: 'created', id: created.id };
      }
      const conflicts = (request.crmOwnedFields as string[])
        .filter((field) => field in item.record && JSON.stringify(item.record[field]) !== JSON.stringify(known.record[field]))
        .map((field) => ({ field, incoming: item.record[field] }));
      const applied = Object.fromEntries(Object.entries(item.record).filter(([field]) => !request.crmOwnedFields.includes(field)));
      const next = { ...known.record, ...applied };
      const outcome = JSON.stringify(next) === JSON.stringify(known.record) ? 'unchanged' : 'updated';
      known.record = next;
      return { externalId: item.externalId, outcome, id: known.id, ...(conflicts.length && { conflicts }) };
    });
    return { results };
  }

  remove(request: Json, { actor }: TestCall) {
    return {
      results: request.items.map((item: Json) => {
        const key = this.key(actor.tenantId, request.system, item.externalId);
        const known = this.records.get(key);
        if (!known) return { externalId: item.externalId, outcome: 'failed', error: { code: 'NOT_FOUND', message: 'No such record.' } };
        this.records.delete(key);
        return { externalId: item.externalId, outcome: 'deleted', id: known.id };
      }),
    };
  }

  get(request: Json, { actor }: TestCall) {
    const known = this.records.get(this.key(actor.tenantId, request.system, request.externalId));
    if (!known) throw new DomainError('NOT_FOUND', 'No such record.');
    return { id: known.id, ...known.record };
  }

  resolve(request: Json, { actor }: TestCall) {
    const ids: Record<string, string> = {};
    for (const externalId of request.externalIds as string[]) {
      const known = this.records.get(this.key(actor.tenantId, request.system, externalId));
      if (known) ids[externalId] = known.id;
    }
    return { ids };
  }

  logged(name: string, handler: (request: Json, call: TestCall) => unknown) {
    return (request: unknown, call: TestCall) => {
      this.received.push({ name, request, tenantId: call.actor.tenantId });
      return handler(request, call);
    };
  }
}

describe('single records by external id (/erp/v1/{object}/{system}/{externalId})', () => {
  let ctx: IntegrationGatewayTestContext;
  const responders: { close(): Promise<void> }[] = [];
  const contacts = new StandInOwner();
  const companies = new StandInOwner();
  const orders = new StandInOwner();

  beforeAll(async () => {
    ctx = await IntegrationGatewayTestContext.start();
    const busPrefix = (ctx.service.config as AppConfig).BUS_NAME_PREFIX;
    responders.push(
      await startTestResponder({
        service: 'contacts',
        busPrefix,
        handlers: {
          [upsertContactsByExternalId.name]: contacts.logged(upsertContactsByExternalId.name, (r, c) => contacts.upsert(r, c)),
          [deleteContactsByExternalId.name]: contacts.logged(deleteContactsByExternalId.name, (r, c) => contacts.remove(r, c)),
          [getContactByExternalId.name]: contacts.logged(getContactByExternalId.name, (r, c) => contacts.get(r, c)),
          [resolveContactExternalIds.name]: contacts.logged(resolveContactExternalIds.name, (r, c) => contacts.resolve(r, c)),
          [upsertCompaniesByExternalId.name]: companies.logged(upsertCompaniesByExternalId.name, (r, c) => companies.upsert(r, c)),
          [getCompanyByExternalId.name]: companies.logged(getCompanyByExternalId.name, (r, c) => companies.get(r, c)),
        },
      }),
      await startTestResponder({
        service: 'sales-automation',
        busPrefix,
        handlers: {
          [upsertOrdersByExternalId.name]: orders.logged(upsertOrdersByExternalId.name, (r, c) => orders.upsert(r, c)),
          [getOrderByExternalId.name]: orders.logged(getOrderByExternalId.name, (r, c) => orders.get(r, c)),
        },
      }),
    );
  });
  afterAll(async () => {
    for (const responder of responders) await responder.close();
    await ctx?.close();
  });

  const put = (client: ErpClient, path: string, body: unknown) => ctx.request(client, 'PUT', `/erp/v1/${path}`, body);
  const syncLog = (tenantId: string) =>
    ctx.database
      .selectFrom('sync_log')
      .select(['object', 'system', 'external_id', 'record_id', 'operation', 'status', 'detail', 'error'])
      .where('tenant_id', '=', tenantId)
      .orderBy('id')
      .execute();

  it('creates (201), then updates or leaves unchanged (200), reads and deletes a contact; every write in the sync log', async () => {
    const client = ctx.newClient();
    const created = await put(client, 'contacts/sap-prod/C-1', { firstName: 'Ada', lastName: 'Lovelace' });
    expect(created.status).toBe(201);
    const body = (await created.json()) as Json;
    expect(body).toEqual({ id: expect.any(String), system: 'sap-prod', externalId: 'C-1', outcome: 'created' });
    expect(contacts.received.at(-1)).toEqual({
      name: upsertContactsByExternalId.name,
      tenantId: client.tenantId,
      request: { system: 'sap-prod', crmOwnedFields: [], items: [{ externalId: 'C-1', record: { firstName: 'Ada', lastName: 'Lovelace' } }] },
    });

    const same = await put(client, 'contacts/sap-prod/C-1', { firstName: 'Ada' });
    expect({ status: same.status, body: await same.json() }).toEqual({ status: 200, body: { ...body, outcome: 'unchanged' } });
    const changed = await put(client, 'contacts/sap-prod/C-1', { firstName: 'Augusta' });
    expect({ status: changed.status, outcome: ((await changed.json()) as Json).outcome }).toEqual({ status: 200, outcome: 'updated' });

    const read = await ctx.request(client, 'GET', '/erp/v1/contacts/sap-prod/C-1');
    expect({ status: read.status, body: await read.json() }).toEqual({ status: 200, body: { id: body.id, firstName: 'Augusta', lastName: 'Lovelace' } });

    const deleted = await ctx.request(client, 'DELETE', '/erp/v1/contacts/sap-prod/C-1');
    expect({ status: deleted.status, body: await deleted.json() }).toEqual({ status: 200, body: { ...body, outcome: 'deleted' } });
    const again = await ctx.request(client, 'DELETE', '/erp/v1/contacts/sap-prod/C-1');
    expect(again.status).toBe(404);
    expect(again.headers.get('content-type')).toContain('application/problem+json');

    expect((await syncLog(client.tenantId)).map((e) => [e.operation, e.status, e.record_id, e.external_id])).toEqual([
      ['upsert', 'created', body.id, 'C-1'],
      ['upsert', 'unchanged', body.id, 'C-1'],
      ['upsert', 'updated', body.id, 'C-1'],
      ['delete', 'deleted', body.id, 'C-1'],
      ['delete', 'failed', null, 'C-1'],
    ]);
  });

  it('passes the CRM-owned fields and logs a conflict, not applying it', async () => {
    const client = ctx.newClient();
    await ctx.database.insertInto('field_ownership').values({ tenant_id: client.tenantId, object: 'contacts', field: 'phones', owner: 'crm' }).execute();
    expect((await put(client, 'contacts/sap/C-9', { firstName: 'Ada', phones: [{ number: '+1' }] })).status).toBe(201);
    const response = await put(client, 'contacts/sap/C-9', { phones: [{ number: '+2' }] });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ outcome: 'unchanged', conflicts: [{ field: 'phones', incoming: [{ number: '+2' }] }] });
    expect(contacts.received.at(-1)?.request.crmOwnedFields).toEqual(['phones']);
    const [, conflict] = await syncLog(client.tenantId);
    expect(conflict).toMatchObject({ status: 'conflict', detail: { outcome: 'unchanged', conflicts: ['phones'] } });
    expect(JSON.stringify(conflict)).not.toContain('+2');
  });

  it('answers a failed item with 400 problem+json naming the fields, and bad paths or bodies with 400', async () => {
    const client = ctx.newClient();
    const failed = await put(client, 'companies/sap/K-1', { name: '' });
    expect(failed.status).toBe(400);
    expect(failed.headers.get('content-type')).toContain('application/problem+json');
    expect(((await failed.json()) as Json).errors).toEqual([expect.objectContaining({ field: 'name' })]);
    expect((await syncLog(client.tenantId)).map((e) => [e.object, e.status, e.error])).toEqual([
      ['companies', 'failed', expect.stringContaining('VALIDATION_FAILED')],
    ]);

    const badSystem = await put(client, 'contacts/bad%20system!/C-1', { firstName: 'x' });
    expect(badSystem.status).toBe(400);
    expect(((await badSystem.json()) as Json).errors).toEqual([expect.objectContaining({ field: 'system' })]);
    expect((await put(client, 'widgets/sap/C-1', { firstName: 'x' })).status).toBe(400);
    expect((await put(client, 'contacts/sap/C-1', [1, 2])).status).toBe(400);
  });

  it("refuses a scope the client lacks (403) and keeps tenants apart (another tenant's record is 404)", async () => {
    const writer = ctx.newClient({ scopes: ['contacts:write'] });
    expect((await put(writer, 'contacts/sap/T-1', { firstName: 'Ada' })).status).toBe(201);
    expect((await ctx.request(writer, 'GET', '/erp/v1/contacts/sap/T-1')).status).toBe(403);
    expect((await put(writer, 'companies/sap/K-2', { name: 'Acme' })).status).toBe(403);
    const reader = ctx.newClient({ tenantId: writer.tenantId, scopes: ['contacts:read'] });
    expect((await ctx.request(reader, 'GET', '/erp/v1/contacts/sap/T-1')).status).toBe(200);
    const forbidden = await put(reader, 'contacts/sap/T-1', { firstName: 'Eve' });
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as Json).type).toBeDefined();
    expect((await ctx.request(reader, 'DELETE', '/erp/v1/contacts/sap/T-1')).status).toBe(403);

    const stranger = ctx.newClient();
    expect((await ctx.request(stranger, 'GET', '/erp/v1/contacts/sap/T-1')).status).toBe(404);
    expect((await put(stranger, 'contacts/sap/T-1', { firstName: 'Eve' })).status).toBe(201); // its own record, not the other tenant's
    expect((await ctx.request(reader, 'GET', '/erp/v1/contacts/sap/T-1').then((r) => r.json())) as Json).toMatchObject({ firstName: 'Ada' });
    expect((await ctx.request(null, 'GET', '/erp/v1/contacts/sap/T-1')).status).toBe(401);
  });

  it("upserts an order naming its customer by the ERP's id, resolved to the contact id", async () => {
    const client = ctx.newClient();
    const customer = (await (await put(client, 'contacts/sap/C-7', { firstName: 'Ada' })).json()) as Json;
    const order = await put(client, 'orders/sap/O-1', { contactExternalId: 'C-7', currency: 'EUR' });
    expect(order.status).toBe(201);
    expect(orders.received.at(-1)?.request.items[0].record).toEqual({ contactId: customer.id, currency: 'EUR' });
    const unknown = await put(client, 'orders/sap/O-2', { contactExternalId: 'C-404' });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as Json).errors).toEqual([expect.objectContaining({ field: 'contactExternalId' })]);
    // Read back by the ERP's id (orders:write reads orders); orders are never deleted by the ERP.
    const read = await ctx.request(client, 'GET', '/erp/v1/orders/sap/O-1');
    expect(read.status).toBe(200);
    expect(orders.received.at(-1)).toMatchObject({ name: getOrderByExternalId.name, request: { system: 'sap', externalId: 'O-1' } });
    expect((await ctx.request(client, 'DELETE', '/erp/v1/orders/sap/O-1')).status).toBe(404);
  });
});
