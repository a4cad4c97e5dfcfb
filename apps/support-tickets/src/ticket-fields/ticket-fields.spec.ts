import { randomUUID } from 'node:crypto';
import { Actor, createTicket, defineTicketField, deleteTicketField, getTicket, listTicketFields, ticketUpdated, updateTicket, updateTicketField } from '@crm/contracts';
import { expectRemoteError, SupportTicketsTestContext } from '../testing/support-tickets-test-context';

/** The tenant's own ticket fields over the bus against a real database and broker: definitions, checked values, required to solve, tenants. */
describe('ticket fields', () => {
  let ctx: SupportTicketsTestContext;
  let actor: Actor;

  beforeAll(async () => {
    ctx = await SupportTicketsTestContext.start();
  });
  afterAll(() => ctx?.close());
  beforeEach(() => {
    actor = { tenantId: `tenant-${randomUUID()}`, userId: randomUUID(), roles: ['manager'] };
  });

  const define = (field: Record<string, unknown>, as: Actor = actor) => ctx.call(defineTicketField, { field: field as never }, as);
  const standardFields = async () => ({
    product: await define({ key: 'product', label: 'Product', type: 'select', options: ['kettle', 'toaster', 'kettle'] }),
    order: await define({ key: 'order_number', label: 'Order number', type: 'text', requiredToSolve: true }),
    units: await define({ key: 'units', label: 'Units', type: 'number' }),
  });
  const newTicket = (customFields: Record<string, unknown> = {}) =>
    ctx.call(createTicket, { ticket: { subject: 'Broken', body: 'It broke.', customFields: customFields as never } }, actor);

  it('defines fields once per key (select options without repeats), lists them in order; another tenant has none', async () => {
    const { product, order } = await standardFields();
    expect(product).toMatchObject({ key: 'product', type: 'select', options: ['kettle', 'toaster'], requiredToSolve: false, version: 1 });
    expect(order).toMatchObject({ type: 'text', options: [], requiredToSolve: true });
    await expectRemoteError(define({ key: 'product', label: 'Again', type: 'text' }), 'CONFLICT');
    const noOptions = defineTicketField.request.safeParse({ field: { key: 'color', label: 'Color', type: 'select' } });
    expect(noOptions.error?.issues.map((i) => i.path.join('.'))).toEqual(['field.options']);
    expect((await ctx.call(listTicketFields, {}, actor)).data.map((f) => f.key)).toEqual(['product', 'order_number', 'units']);
    expect((await ctx.call(listTicketFields, {}, { ...actor, tenantId: `tenant-${randomUUID()}` })).data).toEqual([]);
  });

  it('checks values on create and change (every problem named), merges a patch in, and a null clears a value', async () => {
    await standardFields();
    const bad = await expectRemoteError(newTicket({ product: 'blender', units: 'two', color: 'red' }), 'VALIDATION_FAILED');
    expect(JSON.stringify(bad.details)).toMatch(/ticket\.customFields\.product.*ticket\.customFields\.units.*ticket\.customFields\.color/);

    const ticket = await newTicket({ product: 'kettle', units: 2 });
    expect(ticket.customFields).toEqual({ product: 'kettle', units: 2 });
    const changed = await ctx.call(updateTicket, { id: ticket.id, patch: { customFields: { units: null, order_number: 'SO-42' } } }, actor);
    expect(changed).toMatchObject({ customFields: { product: 'kettle', order_number: 'SO-42' }, version: 2 });
    const events = await ctx.database.selectFrom('outbox_message').select('envelope').where('subject', '=', ticket.id).where('type', '=', ticketUpdated.name).execute();
    expect(events.map((e) => (e.envelope as { data: { changed: string[] } }).data.changed)).toEqual([['customFields']]);
    // The same values again change nothing.
    expect(await ctx.call(updateTicket, { id: ticket.id, patch: { customFields: { product: 'kettle' } } }, actor)).toMatchObject({ version: 2 });
  });

  it('solving or closing needs the fields required to solve, named; once solved they cannot be cleared', async () => {
    await standardFields();
    const ticket = await newTicket({ product: 'toaster' });
    const refused = await expectRemoteError(ctx.call(updateTicket, { id: ticket.id, patch: { status: 'solved' } }, actor), 'VALIDATION_FAILED');
    expect(JSON.stringify(refused.details)).toContain('patch.customFields.order_number');
    const solved = await ctx.call(updateTicket, { id: ticket.id, patch: { status: 'solved', customFields: { order_number: 'SO-7' } } }, actor);
    expect(solved).toMatchObject({ status: 'solved', customFields: { product: 'toaster', order_number: 'SO-7' } });
    await expectRemoteError(ctx.call(updateTicket, { id: ticket.id, patch: { customFields: { order_number: null } } }, actor), 'VALIDATION_FAILED');
    // A field added after it was solved holds up no other change; solving it again needs it.
    await define({ key: 'root_cause', label: 'Root cause', type: 'text', requiredToSolve: true });
    expect(await ctx.call(updateTicket, { id: ticket.id, patch: { tags: ['refund'] } }, actor)).toMatchObject({ tags: ['refund'] });
    await ctx.call(updateTicket, { id: ticket.id, patch: { status: 'open' } }, actor);
    const again = await expectRemoteError(ctx.call(updateTicket, { id: ticket.id, patch: { status: 'closed' } }, actor), 'VALIDATION_FAILED');
    expect(JSON.stringify(again.details)).toContain('patch.customFields.root_cause');
  });

  it("a change keeps options tickets hold (CONFLICT) and checks If-Match; deleting a field removes it from the tickets; other tenants' fields are not found", async () => {
    const { product, units } = await standardFields();
    const ticket = await newTicket({ product: 'kettle', units: 3 });
    const held = await expectRemoteError(ctx.call(updateTicketField, { id: product.id, patch: { options: ['toaster'] } }, actor), 'CONFLICT');
    expect(held.message).toContain('kettle');
    await expectRemoteError(ctx.call(updateTicketField, { id: product.id, expectedVersion: 9, patch: { label: 'Item' } }, actor), 'PRECONDITION_FAILED');
    expect(await ctx.call(updateTicketField, { id: product.id, expectedVersion: 1, patch: { label: 'Item', options: ['kettle', 'iron'] } }, actor)).toMatchObject({
      label: 'Item',
      options: ['kettle', 'iron'],
      version: 2,
    });
    await expectRemoteError(ctx.call(updateTicketField, { id: units.id, patch: { options: ['a'] } }, actor), 'VALIDATION_FAILED');

    const other: Actor = { ...actor, tenantId: `tenant-${randomUUID()}` };
    await expectRemoteError(ctx.call(deleteTicketField, { id: units.id }, other), 'NOT_FOUND');
    expect(await ctx.call(deleteTicketField, { id: units.id }, actor)).toEqual({ deleted: true });
    expect((await ctx.call(getTicket, { id: ticket.id }, actor)).customFields).toEqual({ product: 'kettle' });
  });
});
