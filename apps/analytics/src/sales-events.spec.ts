import { randomUUID } from 'node:crypto';
import {
  contactErased,
  Deal,
  dealCreated,
  dealWon,
  Lead,
  leadConverted,
  leadCreated,
  Order,
  orderRecorded,
  orderStatusChanged,
  Task,
  taskCreated,
} from '@crm/contracts';
import { testEnvelope } from '@crm/testing';
import { AnalyticsTestContext } from './testing/analytics-test-context';

function orderOf(contactId: string, version = 1, status: Order['status'] = 'placed'): Order {
  const at = new Date().toISOString();
  return {
    id: randomUUID(),
    contactId,
    companyId: null,
    currency: 'EUR',
    subtotalMinor: 1999,
    discountMinor: 0,
    totalMinor: 1999,
    purchasedAt: at,
    channel: 'web',
    status,
    externalId: null,
    externalSystem: null,
    lines: [{ productId: null, sku: 'SKU-1', name: 'Widget', quantity: 1, unitPriceMinor: 1999, discountMinor: 0, totalMinor: 1999 }],
    version,
    createdAt: at,
    updatedAt: at,
  };
}

function dealOf(contactId: string, version = 1, status: Deal['status'] = 'open'): Deal {
  const at = new Date().toISOString();
  return {
    id: randomUUID(),
    title: 'Secret fleet deal',
    contactId,
    companyId: null,
    customerName: 'Ada Lovelace',
    amountMinor: 500_000,
    currency: 'EUR',
    expectedCloseDate: null,
    ownerId: null,
    pipelineId: randomUUID(),
    stageId: randomUUID(),
    position: 'a0',
    status,
    lostReason: null,
    closedAt: null,
    stageEnteredAt: at,
    leadId: null,
    lines: [],
    version,
    createdAt: at,
    updatedAt: at,
  };
}

function leadOf(version = 1, convertedContactId: string | null = null): Lead {
  const at = new Date().toISOString();
  return {
    id: randomUUID(),
    firstName: 'Grace',
    lastName: 'Hopper',
    companyName: 'Navy',
    email: 'grace@example.test',
    phone: null,
    message: 'Call me about COBOL',
    source: 'web_form',
    campaignId: null,
    formId: null,
    status: convertedContactId ? 'converted' : 'new',
    disqualifiedReason: null,
    ownerId: null,
    score: 0,
    convertedContactId,
    convertedCompanyId: null,
    convertedDealId: null,
    convertedAt: convertedContactId ? at : null,
    version,
    createdAt: at,
    updatedAt: at,
  };
}

function taskOf(contactId: string): Task {
  const at = new Date().toISOString();
  return {
    id: randomUUID(),
    title: 'Call Grace back',
    notes: null,
    dueAt: null,
    reminderAt: null,
    assigneeId: null,
    relatedType: 'contact',
    relatedId: contactId,
    done: false,
    completedAt: null,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
}

describe('analytics: the sales events in the event log', () => {
  let ctx: AnalyticsTestContext;

  beforeAll(async () => {
    ctx = await AnalyticsTestContext.start();
  });
  afterAll(() => ctx?.close());

  it('logs order and deal events once each, under their order or deal and contact, and scrubs deal titles on erasure', async () => {
    const tenantId = randomUUID();
    const contactId = randomUUID();
    const order = orderOf(contactId);
    const deal = dealOf(contactId);
    const meta = (subject: string, version: number) => ({ tenantId, subject, version });
    const recorded = testEnvelope(orderRecorded, { order }, meta(order.id, 1));
    const paid = testEnvelope(orderStatusChanged, { order: { ...order, status: 'paid', version: 2 }, previousStatus: 'placed' }, meta(order.id, 2));
    const created = testEnvelope(dealCreated, { deal }, meta(deal.id, 1));
    const won = testEnvelope(dealWon, { deal: { ...deal, status: 'won', version: 2 } }, meta(deal.id, 2));
    await ctx.deliver(recorded, paid, created, won);
    await ctx.deliver(recorded); // a redelivery

    const rows = await ctx.prisma.eventLog.findMany({ where: { tenantId }, orderBy: [{ entityId: 'asc' }, { entityVersion: 'asc' }] });
    expect(rows.map((r) => [r.type, r.entityId, r.contactId, r.entityVersion]).sort()).toEqual(
      [
        [orderRecorded.name, order.id, contactId, 1],
        [orderStatusChanged.name, order.id, contactId, 2],
        [dealCreated.name, deal.id, contactId, 1],
        [dealWon.name, deal.id, contactId, 2],
      ].sort(),
    );
    expect(JSON.stringify(rows.find((r) => r.type === dealCreated.name)?.data)).toMatch(/Secret fleet deal/);

    await ctx.deliver(testEnvelope(contactErased, { contactId, erasedAt: new Date().toISOString() }, meta(contactId, 3)));
    const after = await ctx.prisma.eventLog.findMany({ where: { tenantId, contactId } });
    for (const row of after) expect(JSON.stringify(row.data)).not.toMatch(/Secret fleet deal|Ada Lovelace/);
    // What no personal data is stays for the reports: the order's money and status.
    expect(after.find((r) => r.type === orderStatusChanged.name)?.data).toMatchObject({ order: { totalMinor: 1999, status: 'paid' } });
  });

  it("files a lead's entries under the contact it became, so erasing that contact scrubs them; a contact's task is filed under it", async () => {
    const tenantId = randomUUID();
    const contactId = randomUUID();
    const lead = leadOf();
    const task = taskOf(contactId);
    const meta = (subject: string, version: number) => ({ tenantId, subject, version });
    await ctx.deliver(testEnvelope(leadCreated, { lead }, meta(lead.id, 1)));
    const before = await ctx.prisma.eventLog.findMany({ where: { tenantId, entityId: lead.id } });
    expect(before.map((r) => [r.type, r.contactId])).toEqual([[leadCreated.name, null]]);

    const converted = { ...leadOf(2, contactId), id: lead.id };
    await ctx.deliver(testEnvelope(leadConverted, { lead: converted, contactId, companyId: null, dealId: null }, meta(lead.id, 2)));
    await ctx.deliver(testEnvelope(taskCreated, { task }, meta(task.id, 1)));
    const filed = await ctx.prisma.eventLog.findMany({ where: { tenantId, contactId } });
    expect(filed.map((r) => r.type).sort()).toEqual([leadConverted.name, leadCreated.name, taskCreated.name].sort());

    await ctx.deliver(testEnvelope(contactErased, { contactId, erasedAt: new Date().toISOString() }, meta(contactId, 3)));
    const after = await ctx.prisma.eventLog.findMany({ where: { tenantId, entityId: { in: [lead.id, task.id] } } });
    expect(after).toHaveLength(3);
    for (const row of after) expect(JSON.stringify(row.data)).not.toMatch(/Grace|Hopper|COBOL|grace@example/);
  });
});
