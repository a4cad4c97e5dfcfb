import { randomUUID } from 'node:crypto';
import {
  addTicketMessage,
  createTicket,
  defineMailbox,
  deleteMailbox,
  createSlaPolicy,
  DomainError,
  getBusinessHours,
  getTicket,
  listSlaPolicies,
  putBusinessHours,
  listMailboxes,
  listTickets,
  receiveEmail,
  TicketWithThread,
  updateTicket,
} from '@crm/contracts';
import { deleteTestBus, startTestResponder, testBusPrefix } from '@crm/testing';
import { expectProblem, GatewayTestContext, Json, SignedUp } from '../../testing/gateway-test-app';

/**
 * /api/v1/tickets: one bus call each to the support-tickets service (a stand-in here that keeps
 * tickets per tenant), 400 naming the field, If-Match passed on, who works tickets and who reads.
 */
describe('tickets routes', () => {
  const prefix = testBusPrefix();
  const tickets = new Map<string, TicketWithThread & { tenantId: string }>();
  const calls: { name: string; request: Json }[] = [];
  let ctx: GatewayTestContext;
  let service: { close(): Promise<void> };
  let admin: SignedUp;

  const ticketOf = (tenantId: string, id: string) => {
    const ticket = tickets.get(id);
    if (!ticket || ticket.tenantId !== tenantId) throw new DomainError('NOT_FOUND', `ticket ${id} not found.`);
    return ticket;
  };
  const answer = ({ tenantId: _tenant, ...ticket }: TicketWithThread & { tenantId: string }) => ticket;
  const handler =
    (name: string, work: (request: Json, tenantId: string) => unknown) =>
    (request: unknown, { actor }: { actor: { tenantId: string } }) => {
      calls.push({ name, request: request as Json });
      return work(request as Json, actor.tenantId);
    };

  beforeAll(async () => {
    ctx = await GatewayTestContext.start({ BUS_NAME_PREFIX: prefix, GATEWAY_INBOUND_EMAIL_MAX_BYTES: String(64 * 1024) });
    service = await startTestResponder({
      service: 'support-tickets',
      busPrefix: prefix,
      handlers: {
        [createTicket.name]: handler('create', ({ ticket: { body, ...ticket } }, tenantId) => {
          const now = new Date().toISOString();
          const made = {
            ...ticket,
            id: randomUUID(),
            number: tickets.size + 1,
            status: 'new',
            solvedAt: null,
            version: 1,
            createdAt: now,
            updatedAt: now,
            requesterEmail: null,
            slaDueAt: null,
            requesterName: null,
            messages: [{ id: randomUUID(), kind: 'public', authorType: 'customer', authorId: ticket.requesterId, body, attachments: [], createdAt: now }],
            tenantId,
          } as TicketWithThread & { tenantId: string };
          tickets.set(made.id, made);
          return answer(made);
        }),
        [getTicket.name]: handler('get', ({ id }, tenantId) => answer(ticketOf(tenantId, id))),
        [listTickets.name]: handler('list', (_request, tenantId) => ({
          data: [...tickets.values()].filter((t) => t.tenantId === tenantId).map(({ messages: _m, ...t }) => answer({ ...t, messages: [] })),
          nextCursor: null,
        })),
        [updateTicket.name]: handler('update', ({ id, expectedVersion, patch }, tenantId) => {
          const ticket = ticketOf(tenantId, id);
          if (expectedVersion !== undefined && expectedVersion !== ticket.version)
            throw new DomainError('PRECONDITION_FAILED', 'stale', { currentVersion: ticket.version });
          Object.assign(ticket, patch, { version: ticket.version + 1 });
          const { messages: _messages, ...rest } = answer(ticket);
          return rest;
        }),
        [addTicketMessage.name]: handler('message', ({ id, message }, tenantId) => {
          const ticket = ticketOf(tenantId, id);
          ticket.messages.push({
            id: randomUUID(),
            kind: message.kind,
            authorType: 'agent',
            authorId: null,
            body: message.body,
            attachments: [],
            createdAt: new Date().toISOString(),
          });
          ticket.version += 1;
          return answer(ticket);
        }),
        [receiveEmail.name]: handler('receive-email', () => ({ outcome: 'created', ticketId: randomUUID(), number: 7, reason: null })),
        [defineMailbox.name]: handler('define-mailbox', ({ address, groupId }) => ({ address, groupId, createdAt: new Date().toISOString() })),
        [listMailboxes.name]: handler('list-mailboxes', () => ({ data: [] })),
        [deleteMailbox.name]: handler('delete-mailbox', () => ({ deleted: true })),
        [createSlaPolicy.name]: handler('create-policy', ({ policy }) => ({ ...policy, id: randomUUID(), version: 1, createdAt: new Date().toISOString(), updatedAt: new Date().toISOString() })),
        [listSlaPolicies.name]: handler('list-policies', () => ({ data: [] })),
        [getBusinessHours.name]: handler('get-hours', () => ({ timeZone: 'UTC', weekly: {}, publicHolidays: null, closedDates: [], version: 3, updatedAt: new Date().toISOString() })),
        [putBusinessHours.name]: handler('put-hours', ({ hours, expectedVersion }) => {
          if (expectedVersion !== undefined && expectedVersion !== 3) throw new DomainError('PRECONDITION_FAILED', 'stale');
          return { ...hours, version: 4, updatedAt: new Date().toISOString() };
        }),
      },
    });
    admin = await ctx.signup();
  });

  afterAll(async () => {
    await service?.close();
    await ctx?.close();
    await deleteTestBus(prefix);
  });

  const newUser = async (role: string) => {
    const email = `${role}-${randomUUID()}@example.com`;
    const password = 'correct horse battery staple';
    expect((await ctx.post('/api/v1/users', { email, name: role, password, roles: [role] }, admin.accessToken)).status).toBe(201);
    return ctx.login(email, password);
  };

  it('opens a ticket (201, location, ETag, defaults), lists with filters, replies and updates with If-Match', async () => {
    const created = await ctx.post('/api/v1/tickets', { subject: 'The parcel never came', body: 'Nothing yet.' }, admin.accessToken);
    expect(created.status).toBe(201);
    const ticket = (await created.json()) as Json;
    expect(created.headers.get('location')).toBe(`/api/v1/tickets/${ticket.id}`);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(calls.find((c) => c.name === 'create')?.request.ticket).toEqual({
      subject: 'The parcel never came',
      body: 'Nothing yet.',
      requesterId: null,
      channel: 'api',
      priority: 'normal',
      groupId: null,
      assigneeId: null,
      tags: [],
      customFields: {},
    });
    const assignee = randomUUID();
    expect((await ctx.get(`/api/v1/tickets?status=new&assigneeId=${assignee}&limit=10`, admin.accessToken)).status).toBe(200);
    expect(calls.filter((c) => c.name === 'list').at(-1)?.request).toEqual({ limit: 10, sort: '-createdAt', filter: { status: 'new', assigneeId: assignee } });
    expect((await ctx.get('/api/v1/tickets?sort=slaDueAt&groupId=' + assignee, admin.accessToken)).status).toBe(200);
    expect(calls.filter((c) => c.name === 'list').at(-1)?.request).toMatchObject({ sort: 'slaDueAt', filter: { groupId: assignee } });
    await expectProblem(await ctx.get('/api/v1/tickets?sort=priority', admin.accessToken), 400);

    const replied = await ctx.post(`/api/v1/tickets/${ticket.id}/messages`, { kind: 'public', body: 'On its way.' }, admin.accessToken, { 'if-match': '"1"' });
    expect(replied.status).toBe(201);
    expect(calls.filter((c) => c.name === 'message').at(-1)?.request).toEqual({
      id: ticket.id,
      expectedVersion: 1,
      message: { kind: 'public', body: 'On its way.' },
    });
    await expectProblem(await ctx.patch(`/api/v1/tickets/${ticket.id}`, { status: 'solved' }, admin.accessToken, { 'if-match': '"1"' }), 412);
    const solved = await ctx.patch(`/api/v1/tickets/${ticket.id}`, { status: 'solved' }, admin.accessToken, { 'if-match': '"2"' });
    expect(solved.status).toBe(200);
  });

  it('names the bad fields (a status that is not one, an empty reply) and answers 404 for another tenant', async () => {
    const bad = await expectProblem(await ctx.post('/api/v1/tickets', { subject: '', body: 'x', priority: 'asap' }, admin.accessToken), 400);
    expect(bad.errors.map((e: Json) => e.field).sort()).toEqual(['priority', 'subject']);
    const ticket = (await (await ctx.post('/api/v1/tickets', { subject: 'Mine', body: 'x' }, admin.accessToken)).json()) as Json;
    await expectProblem(await ctx.post(`/api/v1/tickets/${ticket.id}/messages`, { kind: 'public', body: ' ' }, admin.accessToken), 400);
    await expectProblem(await ctx.patch(`/api/v1/tickets/${ticket.id}`, { status: 'lost' }, admin.accessToken), 400);
    const other = await ctx.signup();
    await expectProblem(await ctx.get(`/api/v1/tickets/${ticket.id}`, other.accessToken), 404);
  });

  it('support and managers work tickets; sales and viewers only read', async () => {
    for (const role of ['support', 'manager']) {
      const user = await newUser(role);
      expect((await ctx.post('/api/v1/tickets', { subject: `By ${role}`, body: 'x' }, user.accessToken)).status).toBe(201);
    }
    for (const role of ['sales', 'viewer']) {
      const user = await newUser(role);
      expect((await ctx.get('/api/v1/tickets', user.accessToken)).status).toBe(200);
      await expectProblem(await ctx.post('/api/v1/tickets', { subject: 'x', body: 'x' }, user.accessToken), 403);
    }
  });

  it('takes a raw email as message/rfc822 (base64 over the bus), refuses another media type (400) and a body over the limit (413); viewers cannot post mail', async () => {
    const raw = Buffer.from('From: jane@customer.example\r\nTo: support@acme.example\r\nSubject: Help\r\n\r\nBody\r\n');
    const taken = await ctx.request('POST', '/api/v1/tickets/inbound-email', { body: raw, token: admin.accessToken, headers: { 'content-type': 'message/rfc822' } });
    expect(taken.status).toBe(200);
    expect(await taken.json()).toMatchObject({ outcome: 'created', number: 7 });
    expect(Buffer.from(calls.filter((c) => c.name === 'receive-email').at(-1)?.request.raw as string, 'base64').equals(raw)).toBe(true);

    const asJson = await expectProblem(await ctx.post('/api/v1/tickets/inbound-email', { raw: 'x' }, admin.accessToken), 400);
    expect(asJson.errors.map((e: Json) => e.field)).toEqual(['body']);
    const tooLarge = Buffer.concat([raw, Buffer.alloc(70 * 1024, 'a')]);
    await expectProblem(await ctx.request('POST', '/api/v1/tickets/inbound-email', { body: tooLarge, token: admin.accessToken, headers: { 'content-type': 'message/rfc822' } }), 413);
    const viewer = await newUser('viewer');
    await expectProblem(await ctx.request('POST', '/api/v1/tickets/inbound-email', { body: raw, token: viewer.accessToken, headers: { 'content-type': 'message/rfc822' } }), 403);
  });

  it('support mailboxes: managers and admins set them up, support reads them', async () => {
    const put = await ctx.request('PUT', '/api/v1/support-mailboxes/help@acme.example', { body: { groupId: null }, token: admin.accessToken });
    expect(put.status).toBe(200);
    expect(calls.filter((c) => c.name === 'define-mailbox').at(-1)?.request).toEqual({ address: 'help@acme.example', groupId: null });
    await expectProblem(await ctx.request('PUT', '/api/v1/support-mailboxes/help@acme.example', { body: { groupId: 'not-a-uuid' }, token: admin.accessToken }), 400);
    const support = await newUser('support');
    expect((await ctx.get('/api/v1/support-mailboxes', support.accessToken)).status).toBe(200);
    await expectProblem(await ctx.request('PUT', '/api/v1/support-mailboxes/x@acme.example', { body: {}, token: support.accessToken }), 403);
    expect((await ctx.delete('/api/v1/support-mailboxes/help@acme.example', admin.accessToken)).status).toBe(204);
  });

  it('SLA policies and business hours: managers and admins set them, with defaults, field names on bad input, If-Match; support reads', async () => {
    const created = await ctx.post('/api/v1/sla-policies', { name: 'Urgent', priority: 'urgent', firstResponseMinutes: 30 }, admin.accessToken);
    expect(created.status).toBe(201);
    expect(calls.filter((c) => c.name === 'create-policy').at(-1)?.request.policy).toEqual({
      name: 'Urgent',
      priority: 'urgent',
      firstResponseMinutes: 30,
      resolutionMinutes: null,
      warnShare: 0.75,
      raisePriority: false,
      escalateToGroupId: null,
      notifyManager: false,
    });
    const bad = await expectProblem(await ctx.post('/api/v1/sla-policies', { name: 'x', priority: 'asap', resolutionMinutes: 0 }, admin.accessToken), 400);
    expect(bad.errors.map((e: Json) => e.field).sort()).toEqual(['priority', 'resolutionMinutes']);
    const noTarget = await expectProblem(await ctx.post('/api/v1/sla-policies', { name: 'x', priority: 'low' }, admin.accessToken), 400);
    expect(noTarget.errors.map((e: Json) => e.field)).toEqual(['resolutionMinutes']);
    const support = await newUser('support');
    expect((await ctx.get('/api/v1/sla-policies', support.accessToken)).status).toBe(200);
    await expectProblem(await ctx.post('/api/v1/sla-policies', { name: 'x', priority: 'low', resolutionMinutes: 5 }, support.accessToken), 403);

    const hours = await ctx.get('/api/v1/business-hours', support.accessToken);
    expect(hours.headers.get('etag')).toBe('"3"');
    const week = { timeZone: 'Europe/Berlin', weekly: { '1': [{ start: '09:00', end: '17:00' }] }, publicHolidays: { country: 'DE' } };
    await expectProblem(await ctx.request('PUT', '/api/v1/business-hours', { body: week, token: admin.accessToken, headers: { 'if-match': '"2"' } }), 412);
    const put = await ctx.request('PUT', '/api/v1/business-hours', { body: week, token: admin.accessToken, headers: { 'if-match': '"3"' } });
    expect(put.status).toBe(200);
    const wrong = await expectProblem(await ctx.request('PUT', '/api/v1/business-hours', { body: { timeZone: 'Mars/Olympus', weekly: { '8': [] } }, token: admin.accessToken }), 400);
    expect(wrong.errors.map((e: Json) => e.field)).toEqual(expect.arrayContaining(['timeZone']));
    await expectProblem(await ctx.request('PUT', '/api/v1/business-hours', { body: week, token: support.accessToken }), 403);
  });
});
