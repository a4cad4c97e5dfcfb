import { randomUUID } from 'node:crypto';
import { contactErased, slaBreached, ticketCreated, ticketCsatReceived, ticketMessageAdded, ticketUpdated } from '@crm/contracts';
import { testEnvelope, ticketOf } from '@crm/testing';
import { AnalyticsTestContext } from './testing/analytics-test-context';

describe('analytics: the support ticket events in the event log', () => {
  let ctx: AnalyticsTestContext;

  beforeAll(async () => {
    ctx = await AnalyticsTestContext.start();
  });
  afterAll(() => ctx?.close());

  it("logs a ticket's events once each; an unknown sender's entries are filed under the contact once identified, so erasing it scrubs them", async () => {
    const tenantId = randomUUID();
    const contactId = randomUUID();
    const ticket = ticketOf({ number: 42, subject: 'My card ending 4242 was charged twice', requesterEmail: 'ada@example.test', requesterName: 'Ada Lovelace', priority: 'high' });
    const meta = (subject: string, version: number) => ({ tenantId, subject, version });
    const created = testEnvelope(ticketCreated, { ticket }, meta(ticket.id, 1));
    const message = { id: randomUUID(), ticketId: ticket.id, kind: 'public' as const, authorType: 'agent' as const, authorId: randomUUID(), createdAt: ticket.createdAt, attachments: [] };
    const replied = testEnvelope(ticketMessageAdded, { ticket, message }, meta(ticket.id, 1));
    await ctx.deliver(created, replied);
    await ctx.deliver(created); // a redelivery
    const unfiled = await ctx.prisma.eventLog.findMany({ where: { tenantId, entityId: ticket.id } });
    expect(unfiled.map((r) => [r.type, r.contactId]).sort()).toEqual([[ticketCreated.name, null], [ticketMessageAdded.name, null]].sort());

    const linked = { ...ticket, requesterId: contactId, version: 2 };
    const breach = { metric: 'first_response' as const, policyId: randomUUID(), targetMinutes: 60, dueAt: ticket.createdAt };
    const escalation = { raisedPriorityTo: 'urgent' as const, movedToGroupId: null, managerNotified: true };
    await ctx.deliver(
      testEnvelope(ticketUpdated, { ticket: linked, changed: ['requesterId'] }, meta(ticket.id, 2)),
      testEnvelope(slaBreached, { ticket: linked, ...breach, escalation }, meta(ticket.id, 2)),
      testEnvelope(ticketCsatReceived, { ticket: { ...linked, version: 3 }, rating: 'bad' }, meta(ticket.id, 3)),
    );
    const filed = await ctx.prisma.eventLog.findMany({ where: { tenantId, contactId } });
    expect(filed.map((r) => r.type).sort()).toEqual([ticketCreated.name, ticketMessageAdded.name, ticketUpdated.name, slaBreached.name, ticketCsatReceived.name].sort());
    expect(JSON.stringify(filed.find((r) => r.type === ticketCreated.name)?.data)).toMatch(/ada@example.test/);

    await ctx.deliver(testEnvelope(contactErased, { contactId, erasedAt: new Date().toISOString() }, meta(contactId, 3)));
    const after = await ctx.prisma.eventLog.findMany({ where: { tenantId, entityId: ticket.id } });
    expect(after).toHaveLength(5);
    for (const row of after) expect(JSON.stringify(row.data)).not.toMatch(/4242|ada@example|Ada Lovelace/);
    // What is no personal data stays for the reports: priority, channel, the breach's escalation.
    expect(after.find((r) => r.type === slaBreached.name)?.data).toMatchObject({ ticket: { priority: 'high', channel: 'email' }, escalation });
  });
});
