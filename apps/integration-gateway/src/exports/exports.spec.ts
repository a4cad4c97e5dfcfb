import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { DomainError, type Contact } from '@crm/contracts';
import { startTestResponder } from '@crm/testing';
import { parseVcard } from '../bulk-jobs/parsers/vcard-parser';
import type { ParsedRow } from '../bulk-jobs/parsers/row-parser';
import type { ErpClient } from '../erp-auth/erp-client';
import { IntegrationGatewayTestContext } from '../testing/integration-gateway-test-context';
import type { ContactExportView } from './contact-export';

const contactOf = (i: number, overrides: Partial<Contact> = {}): Contact => ({
  id: randomUUID(),
  firstName: `First${i}`,
  lastName: `Last, ${i}`,
  title: null,
  emails: [{ address: `c${i}@example.com`, label: 'work', primary: true }],
  phones: [{ number: `+1 555 ${1000 + i}`, label: 'cell', primary: true }],
  addresses: [{ city: 'Springfield', country: 'USA' }],
  companyId: null,
  ownerId: null,
  tags: ['erp'],
  lifecycleStage: 'customer',
  customFields: {},
  version: 1,
  createdAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-02T10:00:00.000Z',
  deletedAt: null,
  ...overrides,
});

/** Contacts exports against a stand-in of the contacts list, paging by an offset cursor. */
describe('contacts exports (/erp/v1/exports)', () => {
  let ctx: IntegrationGatewayTestContext;
  let contacts: { close(): Promise<void> };
  const byTenant = new Map<string, Contact[]>();

  beforeAll(async () => {
    ctx = await IntegrationGatewayTestContext.start();
    contacts = await startTestResponder({
      service: 'contacts',
      busPrefix: (ctx.service.config as { BUS_NAME_PREFIX: string }).BUS_NAME_PREFIX,
      handlers: {
        'contacts.contact.list.v1': (payload, { actor }) => {
          const { cursor, limit, sort } = payload as { cursor?: string; limit: number; sort: string };
          if (sort !== 'createdAt') throw new DomainError('VALIDATION_FAILED', 'expected a stable sort');
          const all = byTenant.get(actor.tenantId);
          if (!all) throw new DomainError('FORBIDDEN', 'no such tenant here');
          const start = cursor ? Number(cursor) : 0;
          const data = all.slice(start, start + limit);
          return { data, nextCursor: start + limit < all.length ? String(start + limit) : null };
        },
      },
    });
  });
  afterAll(async () => {
    await contacts?.close();
    await ctx?.close();
  });

  const exportOf = async (client: ErpClient, body: Record<string, unknown>): Promise<ContactExportView> => {
    const response = await ctx.request(client, 'POST', '/erp/v1/exports', body);
    expect(response.status).toBe(202);
    const created = (await response.json()) as ContactExportView;
    for (let i = 0; i < 600; i++) {
      const current = (await (await ctx.request(client, 'GET', `/erp/v1/exports/${created.id}`)).json()) as ContactExportView;
      if (current.state === 'completed' || current.state === 'failed') return current;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the export never ended');
  };

  it('exports every contact as CSV with the columns asked for, over several pages', async () => {
    const client = ctx.newClient({ scopes: ['contacts:read'] });
    const all = Array.from({ length: 250 }, (_, i) => contactOf(i));
    byTenant.set(client.tenantId, all);
    const done = await exportOf(client, { format: 'csv', columns: ['id', 'firstName', 'lastName', 'email', 'phone', 'city', 'tags'] });
    expect(done).toMatchObject({ state: 'completed', rowsExported: 250, columns: ['id', 'firstName', 'lastName', 'email', 'phone', 'city', 'tags'] });
    const file = await ctx.request(client, 'GET', `/erp/v1/exports/${done.id}/file`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toMatch(/^text\/csv/);
    const rows = parse(await file.text(), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(250);
    expect(rows[0]).toEqual({
      id: all[0].id,
      firstName: 'First0',
      lastName: 'Last, 0',
      email: 'c0@example.com',
      phone: '+1 555 1000',
      city: 'Springfield',
      tags: 'erp',
    });
    expect(rows.map((row) => row['id'])).toEqual(all.map((contact) => contact.id));
  });

  it('exports vCard 4.0 that reads back as the same contacts', async () => {
    const client = ctx.newClient({ scopes: ['contacts:read'] });
    const all = [contactOf(1), contactOf(2, { lastName: null, emails: [], phones: [], addresses: [], tags: [] })];
    byTenant.set(client.tenantId, all);
    const done = await exportOf(client, { format: 'vcard' });
    expect(done).toMatchObject({ state: 'completed', rowsExported: 2 });
    const file = await ctx.request(client, 'GET', `/erp/v1/exports/${done.id}/file`);
    expect(file.headers.get('content-type')).toMatch(/^text\/vcard/);
    const text = await file.text();
    expect(text).toContain('VERSION:4.0');
    const cards: ParsedRow[] = [];
    for await (const row of parseVcard(Readable.from([Buffer.from(text)]), { externalIdField: 'uid', columnMapping: {} })) cards.push(row);
    expect(cards).toEqual([
      {
        line: 1,
        externalId: `urn:uuid:${all[0].id}`,
        record: {
          firstName: 'First1',
          lastName: 'Last, 1',
          emails: [{ address: 'c1@example.com', label: 'work' }],
          phones: [{ number: '+1 555 1001', label: 'cell' }],
          addresses: [{ city: 'Springfield', country: 'USA' }],
          tags: ['erp'],
        },
      },
      { line: expect.any(Number), externalId: `urn:uuid:${all[1].id}`, record: { firstName: 'First2' } },
    ]);
  });

  it('fails an export the contacts service refuses, answers 409 for its file, 404 to another tenant, 403 without contacts:read', async () => {
    const client = ctx.newClient({ scopes: ['contacts:read'] });
    const failed = await exportOf(client, { format: 'csv' });
    expect(failed).toMatchObject({ state: 'failed', error: expect.stringContaining('FORBIDDEN') });
    expect((await ctx.request(client, 'GET', `/erp/v1/exports/${failed.id}/file`)).status).toBe(409);
    expect((await ctx.request(ctx.newClient(), 'GET', `/erp/v1/exports/${failed.id}`)).status).toBe(404);
    expect((await ctx.request(ctx.newClient(), 'GET', `/erp/v1/exports/${failed.id}/file`)).status).toBe(404);
    expect((await ctx.request(ctx.newClient({ scopes: ['contacts:write'] }), 'POST', '/erp/v1/exports', { format: 'csv' })).status).toBe(403);
    expect((await ctx.request(client, 'POST', '/erp/v1/exports', { format: 'csv', columns: ['password'] })).status).toBe(400);
  });
});
