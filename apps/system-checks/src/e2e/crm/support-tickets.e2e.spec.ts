import { eventually, expectProblem, Json, summary } from '../api-client';
import { created, sharedSystem, signUpTenant, Tenant, userWithRole } from './support/crm-api';
import { mailArrives } from './support/mail-and-clock';

/**
 * Support tickets through the gateway and a real SMTP server: an inbound address, a raw email
 * posted as a mail provider's webhook does (a new ticket), the agent's public reply arriving at the
 * customer's mail server threaded on the customer's message, the customer's answer threaded back
 * into the ticket; and the roles, tenants, bad input and If-Match of the routes.
 */
describe('support tickets: email in and out, threading, roles and tenants (e2e)', () => {
  const { api, run } = sharedSystem();
  let A: Tenant;
  let B: Tenant;
  let agent: string;
  const mailbox = `help-${run}@acme-support.example`;
  const customer = `jane-${run}@customer.example`;

  const rawEmail = (headers: Record<string, string>, body: string) =>
    [...Object.entries(headers).map(([name, value]) => `${name}: ${value}`), 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', body, ''].join('\r\n');
  const postEmail = (raw: string, token: string) =>
    api.request('POST', '/api/v1/tickets/inbound-email', { rawBody: raw, token, headers: { 'content-type': 'message/rfc822' } });

  beforeAll(async () => {
    A = await signUpTenant(api, run, 'support-a');
    B = await signUpTenant(api, run, 'support-b');
    agent = await userWithRole(api, A, `support-file-agent-${run}@example.test`, 'support');
  });

  it('an email opens a ticket; the agent reply reaches the customer threaded; the customer answer joins the ticket', async () => {
    expect(summary(await api.put(`/api/v1/support-mailboxes/${mailbox}`, {}, A.token))).toMatchObject({ status: 200, body: { address: mailbox, groupId: null } });
    const first = rawEmail(
      { From: `Jane Doe <${customer}>`, To: mailbox, Subject: 'My order has not arrived', 'Message-ID': `<first-${run}@customer.example>`, Date: new Date().toUTCString() },
      'Order 4711 is two weeks late.',
    );
    const opened = await postEmail(first, agent);
    expect(summary(opened)).toMatchObject({ status: 200, body: { outcome: 'created', number: 1 } });
    const ticketId = opened.body.ticketId as string;
    expect(summary(await postEmail(first, agent))).toMatchObject({ status: 200, body: { outcome: 'duplicate', ticketId } });

    // The unknown sender becomes a contact (the contacts service's duplicate check), and the ticket theirs: version 2.
    const read = await eventually(
      () => api.get(`/api/v1/tickets/${ticketId}`, agent),
      (r) => r.body.requesterId !== null,
      15_000,
    );
    expect(summary(read)).toMatchObject({ status: 200, body: { channel: 'email', status: 'new', requesterEmail: customer, requesterName: 'Jane Doe', version: 2 } });
    expect(read.headers.get('etag')).toBe('"2"');
    const requester = await api.get(`/api/v1/contacts/${read.body.requesterId as string}`, agent);
    expect(summary(requester)).toMatchObject({ status: 200, body: { firstName: 'Jane', lastName: 'Doe', tags: ['support'], emails: [{ address: customer }] } });
    const timeline = await eventually(
      () => api.get(`/api/v1/contacts/${read.body.requesterId as string}/activities?kind=ticket`, agent),
      (r) => (r.body.data as Json[] | undefined)?.length === 1,
      15_000,
    );
    expect((timeline.body.data as Json[])[0]).toMatchObject({ id: ticketId, kind: 'ticket', title: '#1 My order has not arrived', status: 'new' });
    expectProblem(await api.get(`/api/v1/contacts/${read.body.requesterId as string}`, B.token), 404);
    const listed = await api.get('/api/v1/tickets?status=new', agent);
    expect((listed.body.data as Json[]).map((t) => t.id)).toContain(ticketId);

    expectProblem(await api.post(`/api/v1/tickets/${ticketId}/messages`, { kind: 'public', body: 'Stale' }, agent, { 'if-match': '"9"' }), 412);
    const replied = await api.post(`/api/v1/tickets/${ticketId}/messages`, { kind: 'public', body: 'It ships today, sorry for the wait.' }, agent, { 'if-match': '"2"' });
    expect(summary(replied)).toMatchObject({ status: 201, body: { status: 'open', version: 3 } });

    const reply = await mailArrives((mail) => mail.to.includes(customer));
    expect(reply.parsed.subject).toBe('Re: [#1] My order has not arrived');
    expect(reply.parsed.inReplyTo).toBe(`<first-${run}@customer.example>`);
    expect([reply.parsed.references].flat()).toEqual([`<first-${run}@customer.example>`]);
    expect(reply.parsed.from?.value[0].address).toBe(mailbox);
    expect(reply.parsed.text).toContain('It ships today');
    const replyTo = reply.parsed.replyTo?.value[0].address as string;
    expect(replyTo).toMatch(new RegExp(`^help-${run}\\+[0-9a-f]{20}@acme-support\\.example$`));

    const answer = rawEmail(
      {
        From: `Jane Doe <${customer}>`,
        To: replyTo,
        Subject: 'Re: [#1] My order has not arrived',
        'Message-ID': `<answer-${run}@customer.example>`,
        'In-Reply-To': reply.messageId as string,
        References: `<first-${run}@customer.example> ${reply.messageId}`,
      },
      `Thank you!\r\n\r\nOn Mon, 1 Dec 2026 at 10:00, Support <${mailbox}> wrote:\r\n> It ships today, sorry for the wait.`,
    );
    expect(summary(await postEmail(answer, agent))).toMatchObject({ status: 200, body: { outcome: 'replied', ticketId, number: 1 } });
    const thread = await api.get(`/api/v1/tickets/${ticketId}`, agent);
    expect((thread.body.messages as Json[]).map((m) => [m.authorType, m.body])).toEqual([
      ['customer', 'Order 4711 is two weeks late.'],
      ['agent', 'It ships today, sorry for the wait.'],
      ['customer', 'Thank you!'],
    ]);
  });

  it("tenants: another tenant's ticket is 404, its mailbox is not theirs (409), and mail to it is refused naming raw", async () => {
    const mine = await created(api.post('/api/v1/tickets', { subject: 'Tenant A only', body: 'x' }, A.token));
    expectProblem(await api.get(`/api/v1/tickets/${mine.id}`, B.token), 404);
    expectProblem(await api.put(`/api/v1/support-mailboxes/${mailbox}`, {}, B.token), 409);
    const toA = rawEmail({ From: customer, To: mailbox, Subject: 'hi', 'Message-ID': `<b-${run}@customer.example>` }, 'hello');
    expectProblem(await postEmail(toA, B.token), 400, ['raw']);
  });

  it('roles and bad input: viewers read but cannot post mail or reply; sales cannot set up mailboxes; bad bodies name their fields', async () => {
    const viewer = await userWithRole(api, A, `support-file-viewer-${run}@example.test`, 'viewer');
    const sales = await userWithRole(api, A, `support-file-sales-${run}@example.test`, 'sales');
    const ticket = await created(api.post('/api/v1/tickets', { subject: 'Roles', body: 'x' }, agent));
    expect((await api.get(`/api/v1/tickets/${ticket.id}`, viewer)).status).toBe(200);
    expectProblem(await postEmail(rawEmail({ From: customer, To: mailbox, Subject: 'x' }, 'x'), viewer), 403);
    expectProblem(await api.post(`/api/v1/tickets/${ticket.id}/messages`, { kind: 'public', body: 'x' }, viewer), 403);
    expectProblem(await api.put(`/api/v1/support-mailboxes/other-${run}@acme-support.example`, {}, sales), 403);

    expectProblem(await api.put('/api/v1/support-mailboxes/not-an-address', {}, A.token), 400, ['address']);
    expectProblem(await api.post('/api/v1/tickets/inbound-email', { raw: 'not as json' }, agent), 400, ['body']);
    expectProblem(await postEmail('no headers at all, no sender\r\n', agent), 400, ['raw']);
    expectProblem(await api.post(`/api/v1/tickets/${ticket.id}/messages`, { kind: 'shout', body: '' }, agent), 400, ['kind', 'body']);
  });

  it('SLAs: business hours and a policy set through the gateway give a new ticket its due time; the inbox sorts by it', async () => {
    const hours = await api.get('/api/v1/business-hours', A.token);
    expect(summary(hours)).toMatchObject({ status: 200, body: { timeZone: 'UTC' } });
    const always = Object.fromEntries(['1', '2', '3', '4', '5', '6', '7'].map((d) => [d, [{ start: '00:00', end: '24:00' }]]));
    expectProblem(await api.put('/api/v1/business-hours', { timeZone: 'Europe/Berlin', weekly: always }, A.token, { 'if-match': '"7"' }), 412);
    expect(summary(await api.put('/api/v1/business-hours', { timeZone: 'Europe/Berlin', weekly: always }, A.token, { 'if-match': hours.headers.get('etag') as string }))).toMatchObject({
      status: 200,
      body: { timeZone: 'Europe/Berlin', version: 2 },
    });
    const policy = await created(api.post('/api/v1/sla-policies', { name: 'Urgent', priority: 'urgent', firstResponseMinutes: 30, resolutionMinutes: 480 }, A.token));
    expect(policy).toMatchObject({ priority: 'urgent', warnShare: 0.75 });
    expectProblem(await api.post('/api/v1/sla-policies', { name: 'Again', priority: 'urgent', resolutionMinutes: 60 }, A.token), 409);
    expectProblem(await api.post('/api/v1/sla-policies', { name: 'x', priority: 'low', resolutionMinutes: 60 }, agent), 403);
    expect((await api.get('/api/v1/sla-policies', B.token)).body.data).toEqual([]);

    const group = '5b0a3a52-8f4e-4d43-9f1e-2f4b7f7d9c01';
    const urgent = await created(api.post('/api/v1/tickets', { subject: 'Payments down', body: 'All checkouts fail.', priority: 'urgent', groupId: group }, agent));
    const calm = await created(api.post('/api/v1/tickets', { subject: 'A question', body: 'When do you open?', priority: 'low', groupId: group }, agent));
    const read = await eventually(
      () => api.get(`/api/v1/tickets/${urgent.id}`, agent),
      (r) => r.body.slaDueAt !== null,
      15_000,
    );
    // 30 minutes around the clock from its creation.
    expect(new Date(read.body.slaDueAt).getTime() - new Date(urgent.createdAt).getTime()).toBe(30 * 60_000);
    const inbox = await api.get(`/api/v1/tickets?groupId=${group}&sort=slaDueAt`, agent);
    expect((inbox.body.data as Json[]).map((t) => t.id)).toEqual([urgent.id, calm.id]);
    expectProblem(await api.get('/api/v1/tickets?sort=urgency', agent), 400, ['sort']);
  });

  it('groups: round robin assigns new tickets to the agents in turn; managers set groups up, agents cannot; If-Match, bad input, tenants', async () => {
    const second = await userWithRole(api, A, `support-file-second-${run}@example.test`, 'support');
    const [firstId, secondId] = await Promise.all([agent, second].map(async (token) => (await api.get('/api/v1/auth/me', token)).body.user.id as string));
    const queue = await created(api.post('/api/v1/groups', { name: `Returns ${run}`, assignment: 'round_robin' }, A.token));
    for (const userId of [firstId, secondId]) expect((await api.put(`/api/v1/groups/${queue.id}/members/${userId}`, {}, A.token)).status).toBe(200);

    const tickets = [];
    for (let i = 0; i < 3; i++) tickets.push(await created(api.post('/api/v1/tickets', { subject: `Return ${i}`, body: 'x', groupId: queue.id }, agent)));
    const assignees = [];
    for (const ticket of tickets) {
      const read = await eventually(
        () => api.get(`/api/v1/tickets/${ticket.id}`, agent),
        (r) => r.body.assigneeId !== null,
        15_000,
      );
      expect(read.body.status).toBe('open');
      assignees.push(read.body.assigneeId);
    }
    expect(new Set(assignees.slice(0, 2))).toEqual(new Set([firstId, secondId]));
    expect(assignees[2]).toBe(assignees[0]);

    expectProblem(await api.post('/api/v1/groups', { name: 'Mine' }, agent), 403);
    expectProblem(await api.post('/api/v1/groups', { name: 'Odd', assignment: 'lottery' }, A.token), 400, ['assignment']);
    expectProblem(await api.patch(`/api/v1/groups/${queue.id}`, { assignment: 'manual' }, A.token, { 'if-match': '"1"' }), 412);
    expectProblem(await api.get(`/api/v1/groups/${queue.id}`, B.token), 404);
    expect((await api.get(`/api/v1/groups/${queue.id}`, agent)).body.members).toHaveLength(2);
  });

  it("merge: an agent merges a duplicate into a ticket (If-Match); the source closes with its thread moved; viewers cannot; bad ids name the field; tenants apart", async () => {
    const target = await created(api.post('/api/v1/tickets', { subject: 'Invoice wrong', body: 'The VAT is missing.' }, agent));
    const source = await created(api.post('/api/v1/tickets', { subject: 'Invoice wrong again', body: 'Still no VAT.' }, agent));
    const viewer = await userWithRole(api, A, `support-file-merge-viewer-${run}@example.test`, 'viewer');
    expectProblem(await api.post(`/api/v1/tickets/${target.id}/merge`, { sourceId: source.id }, viewer), 403);
    expectProblem(await api.post(`/api/v1/tickets/${target.id}/merge`, { sourceId: 'not-a-uuid' }, agent), 400, ['sourceId']);
    expectProblem(await api.post(`/api/v1/tickets/${target.id}/merge`, { sourceId: source.id }, agent, { 'if-match': '"4"' }), 412);
    expectProblem(await api.post(`/api/v1/tickets/${target.id}/merge`, { sourceId: source.id }, B.token), 404);

    const merged = await api.post(`/api/v1/tickets/${target.id}/merge`, { sourceId: source.id }, agent, { 'if-match': '"1"' });
    expect(summary(merged)).toMatchObject({ status: 200, body: { id: target.id, version: 2 } });
    expect(merged.headers.get('etag')).toBe('"2"');
    expect((merged.body.messages as Json[]).map((m) => m.body)).toEqual(['The VAT is missing.', 'Still no VAT.', expect.stringContaining('was merged into this ticket')]);
    expect(summary(await api.get(`/api/v1/tickets/${source.id}`, agent))).toMatchObject({ status: 200, body: { status: 'closed', mergedIntoId: target.id } });
    expectProblem(await api.post(`/api/v1/tickets/${source.id}/merge`, { sourceId: target.id }, agent), 409);
  });

  it("attachments: an emailed file downloads as it came (a download, never a page); other tenants 404; bad ids name the field", async () => {
    const raw = [
      `From: ${customer}`,
      `To: ${mailbox}`,
      'Subject: Photo of the damage',
      `Message-ID: <photo-${run}@customer.example>`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'See the attached list.',
      '--b1',
      'Content-Type: text/html; name="list.html"',
      'Content-Disposition: attachment; filename="list.html"',
      '',
      '<script>alert(1)</script>',
      '--b1--',
      '',
    ].join('\r\n');
    const ticketId = (await postEmail(raw, agent)).body.ticketId as string;
    const [file] = ((await api.get(`/api/v1/tickets/${ticketId}`, agent)).body.messages as Json[])[0].attachments as Json[];
    expect(file).toMatchObject({ filename: 'list.html', contentType: 'text/html' });

    const download = await api.get(`/api/v1/tickets/${ticketId}/attachments/${file.id as string}`, agent);
    expect(download.status).toBe(200);
    expect(download.body).toBe('<script>alert(1)</script>');
    expect(download.headers.get('content-type')).toBe('application/octet-stream');
    expect(download.headers.get('content-disposition')).toBe('attachment; filename=list.html');
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expectProblem(await api.get(`/api/v1/tickets/${ticketId}/attachments/${file.id as string}`, B.token), 404);
    expectProblem(await api.get(`/api/v1/tickets/${ticketId}/attachments/nope`, agent), 400, ['id']);
  });

  it('ticket fields: managers define them (If-Match), agents fill them in; bad values and a solve without a required field name the field; tenants apart', async () => {
    const order = await created(api.post('/api/v1/ticket-fields', { key: 'order_number', label: 'Order number', type: 'text', requiredToSolve: true }, A.token));
    expectProblem(await api.post('/api/v1/ticket-fields', { key: 'product', label: 'Product', type: 'text' }, agent), 403);
    expectProblem(await api.post('/api/v1/ticket-fields', { key: 'product', label: 'Product', type: 'select' }, A.token), 400, ['options']);
    expectProblem(await api.post('/api/v1/ticket-fields', { key: 'Bad Key', label: 'x', type: 'text' }, A.token), 400, ['key']);
    expectProblem(await api.patch(`/api/v1/ticket-fields/${order.id}`, { label: 'Order' }, A.token, { 'if-match': '"3"' }), 412);
    expect(summary(await api.patch(`/api/v1/ticket-fields/${order.id}`, { label: 'Order no.' }, A.token, { 'if-match': '"1"' }))).toMatchObject({ status: 200, body: { label: 'Order no.', version: 2 } });
    expectProblem(await api.patch(`/api/v1/ticket-fields/${order.id}`, { label: 'Theirs' }, B.token), 404);
    expect(((await api.get('/api/v1/ticket-fields', B.token)).body.data as Json[]).map((f) => f.key)).not.toContain('order_number');

    expectProblem(await api.post('/api/v1/tickets', { subject: 'Refund', body: 'x', customFields: { order_number: 42 } }, agent), 400, ['customFields.order_number']);
    const ticket = await created(api.post('/api/v1/tickets', { subject: 'Refund', body: 'Please refund.' }, agent));
    expectProblem(await api.patch(`/api/v1/tickets/${ticket.id}`, { status: 'solved' }, agent), 400, ['customFields.order_number']);
    const solved = await api.patch(`/api/v1/tickets/${ticket.id}`, { status: 'solved', customFields: { order_number: 'SO-9' } }, agent);
    expect(summary(solved)).toMatchObject({ status: 200, body: { status: 'solved', customFields: { order_number: 'SO-9' } } });

    // Deleted, the field leaves the tickets (and no longer holds up solving the tenant's other tickets).
    expectProblem(await api.delete(`/api/v1/ticket-fields/${order.id}`, agent), 403);
    expect((await api.delete(`/api/v1/ticket-fields/${order.id}`, A.token)).status).toBe(204);
    expect((await api.get(`/api/v1/tickets/${ticket.id}`, agent)).body.customFields).toEqual({});
  });

  it('macros: an agent applies a canned reply that also sets fields (If-Match); viewers cannot; bad templates name the field; tenants apart', async () => {
    const macro = await created(
      api.post('/api/v1/macros', { name: `Waiting ${run}`, reply: { kind: 'public', body: 'Ticket #{{ ticket.number }}: we need your order number.' }, set: { status: 'pending' }, addTags: ['needs-info'] }, agent),
    );
    const ticket = await created(api.post('/api/v1/tickets', { subject: 'Where is it', body: 'x' }, agent));
    expectProblem(await api.post(`/api/v1/tickets/${ticket.id}/macros/${macro.id}`, {}, agent, { 'if-match': '"5"' }), 412);
    const applied = await api.post(`/api/v1/tickets/${ticket.id}/macros/${macro.id}`, {}, agent, { 'if-match': '"1"' });
    expect(summary(applied)).toMatchObject({ status: 200, body: { status: 'pending', tags: ['needs-info'] } });
    expect((applied.body.messages as Json[]).at(-1)).toMatchObject({ kind: 'public', body: `Ticket #${ticket.number}: we need your order number.` });

    const viewer = await userWithRole(api, A, `support-file-macro-viewer-${run}@example.test`, 'viewer');
    expectProblem(await api.post(`/api/v1/tickets/${ticket.id}/macros/${macro.id}`, {}, viewer), 403);
    expectProblem(await api.post('/api/v1/macros', { name: 'x' }, viewer), 403);
    expectProblem(await api.post('/api/v1/macros', { name: 'Broken', reply: { kind: 'public', body: '{% if %}' } }, agent), 400, ['reply.body']);
    expectProblem(await api.post(`/api/v1/tickets/${ticket.id}/macros/${macro.id}`, {}, B.token), 404);
  });

  it('phone calls: a call opens a phone ticket, a second joins it; viewers cannot log; bad numbers name the field; tenants apart', async () => {
    const first = await created(api.post('/api/v1/phone-calls', { direction: 'inbound', phoneNumber: '+44 20 7946 0000', durationSeconds: 95, notes: 'Wants a callback.', subject: 'Callback' }, agent));
    expect(first.ticket).toMatchObject({ channel: 'phone', status: 'open' });
    const ticketId = (first.ticket as Json).id as string;
    await created(api.post('/api/v1/phone-calls', { direction: 'outbound', phoneNumber: '+44 20 7946 0000', durationSeconds: 30, notes: 'Called back.', ticketId }, agent));
    const calls = await api.get(`/api/v1/phone-calls?ticketId=${ticketId}`, agent);
    expect((calls.body.data as Json[]).map((c) => c.direction)).toEqual(['inbound', 'outbound']);

    const viewer = await userWithRole(api, A, `support-file-phone-viewer-${run}@example.test`, 'viewer');
    expectProblem(await api.post('/api/v1/phone-calls', { direction: 'inbound', phoneNumber: '123', durationSeconds: 1, notes: 'x', subject: 'x' }, viewer), 403);
    expectProblem(await api.post('/api/v1/phone-calls', { direction: 'sideways', phoneNumber: 'call me', durationSeconds: -1, notes: 'x', subject: 'x' }, agent), 400, ['direction', 'phoneNumber', 'durationSeconds']);
    expectProblem(await api.post('/api/v1/phone-calls', { direction: 'inbound', phoneNumber: '123', durationSeconds: 1, notes: 'x', ticketId }, B.token), 404);
  });

  it('CSAT: solving an email ticket mails the requester a rating link; its page posts the rating, which lands on the ticket', async () => {
    const rater = `rater-${run}@customer.example`;
    expect((await api.put(`/api/v1/support-mailboxes/${mailbox}`, {}, A.token)).status).toBe(200);
    const opened = await postEmail(rawEmail({ From: rater, To: mailbox, Subject: 'Rate me', 'Message-ID': `<rate-${run}@customer.example>` }, 'Please help.'), agent);
    const ticketId = opened.body.ticketId as string;
    expect((await api.patch(`/api/v1/tickets/${ticketId}`, { status: 'solved' }, agent)).status).toBe(200);

    const survey = await mailArrives((mail) => mail.to.includes(rater) && /How did we do\?/.test(mail.parsed.subject ?? ''));
    const path = new URL(/https?:\/\/\S+rating=good/.exec(survey.parsed.text ?? '')![0]).pathname;
    const page = await api.request('GET', `${path}?rating=good`, {});
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const form = { rawBody: 'rating=good&comment=Fast+and+friendly', headers: { 'content-type': 'application/x-www-form-urlencoded' } };
    expect(summary(await api.request('POST', path, form))).toMatchObject({ status: 200, body: { rating: 'good' } });
    expect((await api.get(`/api/v1/tickets/${ticketId}`, agent)).body.satisfaction).toMatchObject({ rating: 'good', comment: 'Fast and friendly' });

    expectProblem(await api.post(`/api/v1/public/csat/${'x'.repeat(30)}.${'y'.repeat(22)}`, { rating: 'good' }), 400, ['token']);
    expectProblem(await api.post(path, { rating: 'meh' }), 400, ['rating']);
  });
});
