import { randomUUID } from 'node:crypto';
import {
  Actor,
  createTicket,
  createTicketGroup,
  deleteTicketGroup,
  getTicket,
  listTicketGroups,
  putGroupMember,
  removeGroupMember,
  Ticket,
  updateTicket,
  updateTicketGroup,
} from '@crm/contracts';
import { expectRemoteError, SupportTicketsTestContext } from '../testing/support-tickets-test-context';


/** Groups and automatic assignment over a real database and broker (assignment follows the service's own ticket events). */
describe('groups and assignment', () => {
  let ctx: SupportTicketsTestContext;
  let actor: Actor;
  const [ann, ben, cat] = [randomUUID(), randomUUID(), randomUUID()].sort();

  beforeAll(async () => {
    ctx = await SupportTicketsTestContext.start();
  });
  afterAll(() => ctx?.close());
  beforeEach(() => {
    actor = { tenantId: `tenant-${randomUUID()}`, userId: randomUUID(), roles: ['manager'] };
  });

  const group = async (name: string, assignment: 'manual' | 'round_robin' | 'fewest_open', members: string[]) => {
    const made = await ctx.call(createTicketGroup, { group: { name, assignment } }, actor);
    for (const userId of members) await ctx.call(putGroupMember, { id: made.id, userId }, actor);
    return made;
  };
  const ticketIn = (groupId: string | null, extra: Record<string, unknown> = {}) =>
    ctx.call(createTicket, { ticket: { subject: 'Help', body: 'Please.', groupId, ...extra } }, actor);
  /** The ticket once its assignment event has been handled (an assignee, or still none after the events settled). */
  const assigneeOf = async (id: string, expectAssigned = true): Promise<Ticket> => {
    const until = Date.now() + 10_000;
    for (;;) {
      const ticket = await ctx.call(getTicket, { id }, actor);
      if (ticket.assigneeId || (!expectAssigned && Date.now() > until - 8_500) || Date.now() > until) return ticket;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  it('round robin: each new ticket goes to the next available member in turn, skipping the unavailable', async () => {
    const queue = await group('Billing', 'round_robin', [ann, ben, cat]);
    const first = [];
    for (let i = 0; i < 4; i++) first.push((await assigneeOf((await ticketIn(queue.id)).id)).assigneeId);
    expect(first).toEqual([ann, ben, cat, ann]);

    await ctx.call(putGroupMember, { id: queue.id, userId: ben, available: false }, actor);
    const next = [];
    for (let i = 0; i < 2; i++) next.push((await assigneeOf((await ticketIn(queue.id)).id)).assigneeId);
    expect(next).toEqual([cat, ann]);
    const assigned = await assigneeOf((await ticketIn(queue.id)).id);
    expect(assigned).toMatchObject({ status: 'open', assigneeId: cat });
  });

  it('fewest open: the member with the fewest open tickets gets the next one; solved tickets do not count', async () => {
    const queue = await group('Returns', 'fewest_open', [ann, ben]);
    const busy = await ticketIn(null, { assigneeId: ann });
    await ticketIn(null, { assigneeId: ann });
    expect((await assigneeOf((await ticketIn(queue.id)).id)).assigneeId).toBe(ben);
    expect((await assigneeOf((await ticketIn(queue.id)).id)).assigneeId).toBe(ben);
    await ctx.call(updateTicket, { id: busy.id, patch: { status: 'solved' } }, actor);
    // ann: 1 open, ben: 2 open.
    expect((await assigneeOf((await ticketIn(queue.id)).id)).assigneeId).toBe(ann);
  });

  it('a ticket moved into a group is assigned; a manual group, a ticket already taken, or nobody available leave it alone', async () => {
    const manual = await group('VIP', 'manual', [ann]);
    const auto = await group('Tech', 'round_robin', [cat]);
    const waiting = await ticketIn(manual.id);
    expect((await assigneeOf(waiting.id, false)).assigneeId).toBeNull();

    const moved = await ctx.call(updateTicket, { id: waiting.id, patch: { groupId: auto.id } }, actor);
    expect(moved.assigneeId).toBeNull();
    expect((await assigneeOf(waiting.id)).assigneeId).toBe(cat);

    const taken = await ticketIn(auto.id, { assigneeId: ben });
    expect((await assigneeOf(taken.id)).assigneeId).toBe(ben);

    await ctx.call(removeGroupMember, { id: auto.id, userId: cat }, actor);
    expect((await assigneeOf((await ticketIn(auto.id)).id, false)).assigneeId).toBeNull();
  });

  it('keeps a name once per tenant, If-Match on changes, members listed, tenants apart', async () => {
    const queue = await group('Sales', 'manual', [ann]);
    await expectRemoteError(ctx.call(createTicketGroup, { group: { name: 'Sales' } }, actor), 'CONFLICT');
    await expectRemoteError(ctx.call(updateTicketGroup, { id: queue.id, expectedVersion: 1, patch: { assignment: 'fewest_open' } }, actor), 'PRECONDITION_FAILED');
    const changed = await ctx.call(updateTicketGroup, { id: queue.id, expectedVersion: 2, patch: { assignment: 'fewest_open' } }, actor);
    expect(changed).toMatchObject({ assignment: 'fewest_open', version: 3, members: [expect.objectContaining({ userId: ann, available: true })] });
    expect((await ctx.call(listTicketGroups, {}, actor)).data.map((g) => g.name)).toEqual(['Sales']);

    const other: Actor = { ...actor, tenantId: `tenant-${randomUUID()}` };
    expect((await ctx.call(listTicketGroups, {}, other)).data).toEqual([]);
    await expectRemoteError(ctx.call(putGroupMember, { id: queue.id, userId: ben }, other), 'NOT_FOUND');
    expect(await ctx.call(deleteTicketGroup, { id: queue.id }, other)).toEqual({ deleted: false });
    expect(await ctx.call(deleteTicketGroup, { id: queue.id }, actor)).toEqual({ deleted: true });
  });
});
