import { randomUUID } from 'node:crypto';
import { Actor, contactErased, contactMerged, Deal, dealWon, DomainError, getFieldOwnership, listSyncLog, recordDealErpOrder, salesOrderRequested, setFieldOwnership } from '@crm/contracts';
import { RemoteError } from '@crm/messaging';
import { startTestResponder, testEnvelope } from '@crm/testing';
import { AppConfig } from '../app.config';
import { IntegrationGatewayTestContext } from '../testing/integration-gateway-test-context';
import { contactOf, wonDealOf } from '../testing/event-builders';
import { SyncLogRepository } from '../sync-log/sync-log.repository';
import { FieldOwnershipRepository } from './field-ownership/field-ownership.repository';

const wonDeal = wonDealOf;

const admin = (tenantId: string = randomUUID()): Actor => ({ tenantId, userId: randomUUID(), roles: ['admin'] });

async function remoteError(call: Promise<unknown>): Promise<RemoteError> {
  const error = await call.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(RemoteError);
  return error as RemoteError;
}

describe('business-process sync', () => {
  let ctx: IntegrationGatewayTestContext;

  beforeAll(async () => {
    ctx = await IntegrationGatewayTestContext.start();
  });
  afterAll(() => ctx?.close());

  const outboxCount = async (type: string, subject: string) =>
    Number((await ctx.database.selectFrom('outbox_message').select((eb) => eb.fn.countAll().as('n')).where('type', '=', type).where('subject', '=', subject).executeTakeFirstOrThrow()).n);

  describe('a deal won in the CRM', () => {
    it('asks the ERP for its sales order once, even when the won event is delivered twice, and logs the request', async () => {
      const tenantId = randomUUID();
      const deal = wonDeal();
      const envelope = testEnvelope(dealWon, { deal }, { tenantId, subject: deal.id, version: deal.version });
      await ctx.bus.deliver(envelope, envelope);

      const requested = await ctx.bus.event((e) => e.type === salesOrderRequested.name && e.subject === deal.id);
      expect(requested.tenantid).toBe(tenantId);
      expect(requested.data).toEqual({
        dealId: deal.id,
        title: 'Fleet renewal',
        contactId: deal.contactId,
        companyId: null,
        ownerId: deal.ownerId,
        amountMinor: 120_000,
        currency: 'EUR',
        lines: deal.lines,
        wonAt: deal.closedAt,
        requestedAt: expect.any(String),
      });
      expect(await outboxCount(salesOrderRequested.name, deal.id)).toBe(1);
      // Both are in the change feed (once each) for a client that may see deals, and so go to its webhooks.
      const feed = await ctx.request(ctx.newClient({ tenantId, scopes: ['changes:read', 'deals:write'] }), 'GET', '/erp/v1/changes');
      const types = ((await feed.json()) as { data: { type: string; subject: string }[] }).data.filter((e) => e.subject === deal.id).map((e) => e.type);
      expect(types).toEqual([dealWon.name, salesOrderRequested.name]);
      const log = await ctx.call(listSyncLog, { filter: { recordId: deal.id }, limit: 10 }, admin(tenantId));
      expect(log.data).toEqual([expect.objectContaining({ direction: 'outbound', object: 'deals', operation: 'sales-order-requested', status: 'requested' })]);
    });
  });

  describe("the ERP's order number for a won deal (POST /erp/v1/deals/:id/erp-order)", () => {
    let responder: { close(): Promise<void> };
    const stored = new Map<string, string>();

    beforeAll(async () => {
      // The sales service, as far as this route needs it: stores the number once, refuses another.
      responder = await startTestResponder({
        service: 'sales-automation',
        busPrefix: (ctx.service.config as AppConfig).BUS_NAME_PREFIX,
        handlers: {
          [recordDealErpOrder.name]: (request, { actor }) => {
            const { id, orderNumber } = request as { id: string; orderNumber: string };
            const key = `${actor.tenantId}/${id}`;
            if (stored.has(key) && stored.get(key) !== orderNumber) throw new DomainError('CONFLICT', 'the deal already has another ERP order number');
            stored.set(key, orderNumber);
            return wonDeal({ id });
          },
        },
      });
    });
    afterAll(() => responder?.close());

    it('stores it through the sales service on behalf of the client, and logs applied or failed', async () => {
      const client = ctx.newClient({ scopes: ['deals:write', 'sync-log:read'] });
      const dealId = randomUUID();
      const first = await ctx.request(client, 'POST', `/erp/v1/deals/${dealId}/erp-order`, { system: 'sap-prod', orderNumber: 'SO-4711' });
      expect(first.status).toBe(200);
      expect(((await first.json()) as Deal).id).toBe(dealId);
      expect(stored.get(`${client.tenantId}/${dealId}`)).toBe('SO-4711');

      const other = await ctx.request(client, 'POST', `/erp/v1/deals/${dealId}/erp-order`, { system: 'sap-prod', orderNumber: 'SO-9999' });
      expect(other.status).toBe(409);
      expect(other.headers.get('content-type')).toContain('application/problem+json');

      const log = await ctx.request(client, 'GET', `/erp/v1/sync-log?recordId=${dealId}`);
      expect(log.status).toBe(200);
      const { data } = (await log.json()) as { data: { status: string; externalId: string; error: string | null }[] };
      expect(data.map(({ status, externalId, error }) => ({ status, externalId, error }))).toEqual([
        { status: 'failed', externalId: 'SO-9999', error: 'CONFLICT' },
        { status: 'applied', externalId: 'SO-4711', error: null },
      ]);
    });

    it('needs deals:write, a deal id and an order number', async () => {
      const reader = ctx.newClient({ scopes: ['contacts:read'] });
      expect((await ctx.request(reader, 'POST', `/erp/v1/deals/${randomUUID()}/erp-order`, { system: 'sap', orderNumber: '1' })).status).toBe(403);
      expect((await ctx.request(null, 'POST', `/erp/v1/deals/${randomUUID()}/erp-order`, { system: 'sap', orderNumber: '1' })).status).toBe(401);
      const writer = ctx.newClient({ scopes: ['deals:write'] });
      expect((await ctx.request(writer, 'POST', '/erp/v1/deals/not-a-uuid/erp-order', { system: 'sap', orderNumber: '1' })).status).toBe(400);
      const missing = await ctx.request(writer, 'POST', `/erp/v1/deals/${randomUUID()}/erp-order`, { system: 'sap prod!' });
      expect(missing.status).toBe(400);
      const problem = (await missing.json()) as { errors: { field: string }[] };
      expect(problem.errors.map((e) => e.field).sort()).toEqual(['orderNumber', 'system']);
    });
  });

  describe('field ownership', () => {
    it("replaces an object's map, publishes a change only when it changes, and feeds the CRM-owned fields to upserts", async () => {
      const actor = admin();
      expect(await ctx.call(getFieldOwnership, { object: 'contacts' }, actor)).toEqual({ object: 'contacts', fields: [] });
      const fields = [
        { field: 'phone', owner: 'crm' as const },
        { field: 'billingAddress.city', owner: 'erp' as const },
        { field: 'email', owner: 'crm' as const },
      ];
      const set = await ctx.call(setFieldOwnership, { object: 'contacts', fields }, actor);
      expect(set.fields.map((f) => f.field)).toEqual(['billingAddress.city', 'email', 'phone']);
      expect(await ctx.call(getFieldOwnership, { object: 'contacts' }, actor)).toEqual(set);
      await ctx.call(setFieldOwnership, { object: 'contacts', fields: [...fields].reverse() }, actor);
      expect(await outboxCount('integration-gateway.field-ownership.changed.v1', 'contacts')).toBe(1);
      expect(await ctx.service.app.get(FieldOwnershipRepository).crmOwnedFields(actor.tenantId, 'contacts')).toEqual(['email', 'phone']);
      // Another tenant's map is its own; another object's too.
      expect(await ctx.call(getFieldOwnership, { object: 'contacts' }, admin())).toEqual({ object: 'contacts', fields: [] });
      expect(await ctx.call(getFieldOwnership, { object: 'orders' }, actor)).toEqual({ object: 'orders', fields: [] });
    });

    it('refuses a field named twice, an unknown object and a malformed field name', async () => {
      const actor = admin();
      const twice = await remoteError(ctx.call(setFieldOwnership, { object: 'contacts', fields: [{ field: 'phone', owner: 'crm' }, { field: 'phone', owner: 'erp' }] }, actor));
      expect(twice.code).toBe('VALIDATION_FAILED');
      const unknown = await remoteError(ctx.callUnchecked(setFieldOwnership, { object: 'invoices', fields: [] }, actor));
      expect(unknown.code).toBe('VALIDATION_FAILED');
      const malformed = await remoteError(ctx.callUnchecked(setFieldOwnership, { object: 'contacts', fields: [{ field: 'drop table;', owner: 'crm' }] }, actor));
      expect(malformed.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('the sync log', () => {
    it('pages newest first within the tenant, filters by record, external id and status, and refuses a forged cursor', async () => {
      const actor = admin();
      const repository = ctx.service.app.get(SyncLogRepository);
      const recordId = randomUUID();
      await repository.record(
        Array.from({ length: 5 }, (_, i) => ({
          tenantId: actor.tenantId,
          direction: 'inbound' as const,
          object: 'contacts',
          system: 'sap',
          externalId: `C-${i}`,
          recordId: i % 2 === 0 ? recordId : randomUUID(),
          operation: 'upsert',
          status: i === 4 ? 'failed' : 'updated',
        })),
      );
      await repository.record([{ tenantId: randomUUID(), direction: 'inbound', object: 'contacts', system: 'sap', externalId: 'C-0', recordId, operation: 'upsert', status: 'created' }]);

      const first = await ctx.call(listSyncLog, { filter: {}, limit: 2 }, actor);
      expect(first.data.map((e) => e.externalId)).toEqual(['C-4', 'C-3']);
      const second = await ctx.call(listSyncLog, { filter: {}, limit: 2, cursor: first.nextCursor ?? undefined }, actor);
      const third = await ctx.call(listSyncLog, { filter: {}, limit: 2, cursor: second.nextCursor ?? undefined }, actor);
      expect([...second.data, ...third.data].map((e) => e.externalId)).toEqual(['C-2', 'C-1', 'C-0']);
      expect(third.nextCursor).toBeNull();

      expect((await ctx.call(listSyncLog, { filter: { recordId }, limit: 10 }, actor)).data.map((e) => e.externalId)).toEqual(['C-4', 'C-2', 'C-0']);
      expect((await ctx.call(listSyncLog, { filter: { externalId: 'C-3' }, limit: 10 }, actor)).data).toHaveLength(1);
      expect((await ctx.call(listSyncLog, { filter: { status: 'failed' }, limit: 10 }, actor)).data.map((e) => e.externalId)).toEqual(['C-4']);

      const forged = await remoteError(ctx.call(listSyncLog, { filter: {}, limit: 2, cursor: 'bm90IGEgbnVtYmVy' }, actor));
      expect(forged.code).toBe('VALIDATION_FAILED');
    });

    it("keeps an erased person's entries as facts without their values", async () => {
      const tenantId = randomUUID();
      const recordId = randomUUID();
      const repository = ctx.service.app.get(SyncLogRepository);
      await repository.record([{ tenantId, direction: 'inbound', object: 'contacts', system: 'sap', externalId: 'C-1', recordId, operation: 'upsert', status: 'conflict', detail: { conflicts: [{ field: 'phone', incoming: '+49 30 1234' }] } }]);
      await repository.scrubRecords(tenantId, [recordId]);
      const [entry] = (await ctx.call(listSyncLog, { filter: { recordId }, limit: 10 }, admin(tenantId))).data;
      expect(entry).toEqual(expect.objectContaining({ status: 'conflict', operation: 'upsert', detail: null, externalId: null }));
    });
  });
});

describe("a contact's merge and erasure in the sync log", () => {
  let ctx: IntegrationGatewayTestContext;

  beforeAll(async () => {
    ctx = await IntegrationGatewayTestContext.start();
  });
  afterAll(() => ctx?.close());

  it("moves the duplicate's entries to the survivor, and keeps an erased person's entries as facts without their values", async () => {
    const tenantId = randomUUID();
    const [survivor, duplicate] = [randomUUID(), randomUUID()];
    const repository = ctx.service.app.get(SyncLogRepository);
    await repository.record([
      { tenantId, direction: 'inbound', object: 'contacts', system: 'sap', externalId: 'C-1', recordId: survivor, operation: 'upsert', status: 'created' },
      { tenantId, direction: 'inbound', object: 'contacts', system: 'sap', externalId: 'C-2', recordId: duplicate, operation: 'upsert', status: 'conflict', detail: { conflicts: [{ field: 'phone', incoming: '+49 30 1234' }] } },
    ]);
    const contact = contactOf({ id: survivor, version: 2 });
    await ctx.bus.deliver(testEnvelope(contactMerged, { contact, mergedId: duplicate }, { tenantId, subject: survivor }));
    const merged = await ctx.call(listSyncLog, { filter: { recordId: survivor }, limit: 10 }, admin(tenantId));
    expect(merged.data.map((e) => e.externalId)).toEqual(['C-2', 'C-1']);

    await ctx.bus.deliver(testEnvelope(contactErased, { contactId: survivor, erasedAt: new Date().toISOString() }, { tenantId, subject: survivor }));
    const erased = await ctx.call(listSyncLog, { filter: { recordId: survivor }, limit: 10 }, admin(tenantId));
    expect(erased.data.map(({ status, detail, externalId }) => ({ status, detail, externalId }))).toEqual([
      { status: 'conflict', detail: null, externalId: null },
      { status: 'created', detail: null, externalId: null },
    ]);
  });
});
