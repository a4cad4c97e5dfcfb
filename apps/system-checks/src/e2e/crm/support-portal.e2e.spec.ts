import WebSocket from 'ws';
import { expectProblem, Json, summary } from '../api-client';
import { sharedSystem, signUpTenant, Tenant, userWithRole } from './support/crm-api';
import { mailArrives } from './support/mail-and-clock';

/** A WebSocket client that keeps every frame it got, and waits for the one a test expects. */
class ChatClient {
  readonly frames: { event: string; data: Json }[] = [];
  closed: { code: number; reason: string } | null = null;
  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (raw) => this.frames.push(JSON.parse(raw.toString()) as { event: string; data: Json }));
    socket.on('close', (code, reason) => (this.closed = { code, reason: reason.toString() }));
  }

  static connect(url: string): Promise<ChatClient> {
    const socket = new WebSocket(url);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(new ChatClient(socket)));
      socket.once('error', reject);
    });
  }

  send(event: string, data: Json): void {
    this.socket.send(JSON.stringify({ event, data }));
  }

  async next(event: string, match: (data: Json) => boolean = () => true, waitMs = 10_000): Promise<Json> {
    const until = Date.now() + waitMs;
    for (;;) {
      const index = this.frames.findIndex((f) => f.event === event && match(f.data));
      if (index >= 0) return this.frames.splice(index, 1)[0].data;
      if (Date.now() > until) throw new Error(`no "${event}" frame; got ${JSON.stringify(this.frames)}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  async closedWith(waitMs = 10_000): Promise<{ code: number; reason: string }> {
    const until = Date.now() + waitMs;
    while (!this.closed && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 25));
    if (!this.closed) throw new Error('the socket stayed open');
    return this.closed;
  }

  close(): void {
    this.socket.close();
  }
}

/**
 * The customer portal through the gateway: a one-time sign-in link by real email, each customer
 * seeing and answering only their own tickets (even in the same tenant), the published knowledge
 * base, and live chat between a portal customer and an agent over a real WebSocket.
 */
describe('support portal: one-time links, own tickets only, knowledge base, live chat (e2e)', () => {
  const { api, run, gatewayUrl } = sharedSystem();
  let A: Tenant;
  let B: Tenant;
  let agent: string;
  let viewer: string;
  let agentB: string;
  const mailbox = `portal-${run}@acme-support.example`;
  const alice = `alice-${run}@customer.example`;
  const bob = `bob-${run}@customer.example`;
  const tickets: Record<string, string> = {};
  const portal: Record<string, string> = {};
  const chatUrl = (token?: string) => `${gatewayUrl.replace(/^http/, 'ws')}/api/v1/chat${token ? `?access_token=${encodeURIComponent(token)}` : ''}`;

  const emailFrom = (from: string, subject: string) =>
    api.request('POST', '/api/v1/tickets/inbound-email', {
      token: agent,
      headers: { 'content-type': 'message/rfc822' },
      rawBody: [`From: ${from}`, `To: ${mailbox}`, `Subject: ${subject}`, `Message-ID: <${subject.replace(/\W/g, '')}-${run}@customer.example>`, 'MIME-Version: 1.0', 'Content-Type: text/plain', '', `${subject}, please help.`, ''].join('\r\n'),
    });

  /** Asks for a link as the customer would, reads it from the mail that arrived, and trades it for a portal token. */
  const signIn = async (email: string): Promise<string> => {
    expect(summary(await api.post('/api/v1/portal/sign-in-links', { tenantId: A.tenantId, email }))).toMatchObject({ status: 202, body: { accepted: true } });
    const mail = await mailArrives((m) => m.to.includes(email) && m.parsed.subject === 'Your sign-in link to the support portal');
    const token = new URL(/https?:\/\/\S+/.exec(mail.parsed.text ?? '')![0]).searchParams.get('token')!;
    const session = await api.post('/api/v1/portal/sessions', { token });
    expect(summary(session)).toMatchObject({ status: 201, body: { tokenType: 'Bearer', expiresIn: expect.any(Number) } });
    expectProblem(await api.post('/api/v1/portal/sessions', { token }), 401);
    return session.body.accessToken as string;
  };

  beforeAll(async () => {
    A = await signUpTenant(api, run, 'portal-a');
    B = await signUpTenant(api, run, 'portal-b');
    agent = await userWithRole(api, A, `portal-agent-${run}@example.test`, 'support');
    viewer = await userWithRole(api, A, `portal-viewer-${run}@example.test`, 'viewer');
    agentB = await userWithRole(api, B, `portal-agent-b-${run}@example.test`, 'support');
    expect((await api.put(`/api/v1/support-mailboxes/${mailbox}`, {}, A.token)).status).toBe(200);
    tickets.alice = (await emailFrom(alice, 'Broken kettle')).body.ticketId as string;
    tickets.bob = (await emailFrom(bob, 'Missing lid')).body.ticketId as string;
    portal.alice = await signIn(alice);
    portal.bob = await signIn(bob);
  });

  it("keeps customers apart in one tenant: B cannot read or answer A's ticket (404); each lists only their own", async () => {
    const mine = await api.get('/api/v1/portal/tickets', portal.alice);
    expect(summary(mine)).toMatchObject({ status: 200 });
    expect((mine.body.data as Json[]).map((t) => t.id)).toEqual([tickets.alice]);
    expect(summary(await api.get(`/api/v1/portal/tickets/${tickets.alice}`, portal.alice))).toMatchObject({
      status: 200,
      body: { subject: 'Broken kettle', messages: [expect.objectContaining({ authorType: 'customer', body: 'Broken kettle, please help.' })] },
    });

    expectProblem(await api.get(`/api/v1/portal/tickets/${tickets.alice}`, portal.bob), 404);
    expectProblem(await api.post(`/api/v1/portal/tickets/${tickets.alice}/replies`, { body: 'not mine' }, portal.bob), 404);
    expect((await api.get('/api/v1/portal/tickets', portal.bob)).body.data.map((t: Json) => t.id)).toEqual([tickets.bob]);
    const untouched = await api.get(`/api/v1/tickets/${tickets.alice}`, agent);
    expect((untouched.body.messages as Json[]).map((m) => m.body)).not.toContain('not mine');
  });

  it('a customer answers and opens tickets; internal notes never show; roles keep portal and staff routes apart', async () => {
    expect((await api.post(`/api/v1/tickets/${tickets.alice}/messages`, { kind: 'internal', body: 'VIP, be quick' }, agent)).status).toBe(201);
    expect((await api.post(`/api/v1/tickets/${tickets.alice}/messages`, { kind: 'public', body: 'Is it plugged in?' }, agent)).status).toBe(201);
    const answered = await api.post(`/api/v1/portal/tickets/${tickets.alice}/replies`, { body: 'Yes, it is.' }, portal.alice);
    expect(summary(answered)).toMatchObject({ status: 201, body: { status: 'open' } });
    expect((answered.body.messages as Json[]).map((m) => [m.authorType, m.body])).toEqual([
      ['customer', 'Broken kettle, please help.'],
      ['agent', 'Is it plugged in?'],
      ['customer', 'Yes, it is.'],
    ]);
    const opened = await api.post('/api/v1/portal/tickets', { subject: 'Second kettle', body: 'This one too.' }, portal.alice);
    expect(summary(opened)).toMatchObject({ status: 201, body: { channel: 'portal', status: 'new' } });
    expect(summary(await api.get(`/api/v1/tickets/${opened.body.id}`, agent))).toMatchObject({ status: 200, body: { requesterEmail: alice } });

    expectProblem(await api.get('/api/v1/tickets', portal.alice), 403);
    expectProblem(await api.get('/api/v1/portal/tickets', agent), 403);
    const bad = await api.post(`/api/v1/portal/tickets/${tickets.alice}/replies`, { body: '' }, portal.alice);
    expectProblem(bad, 400, ['body']);
    expectProblem(await api.post('/api/v1/portal/sign-in-links', { tenantId: A.tenantId, email: 'not-an-address' }), 400, ['email']);
    // An unknown address is answered like a known one, and nothing is sent to it.
    expect(summary(await api.post('/api/v1/portal/sign-in-links', { tenantId: A.tenantId, email: `nobody-${run}@customer.example` }))).toMatchObject({ status: 202 });
  });

  it('the knowledge base: agents write (If-Match), viewers read only, the portal finds published articles and suggestions, tenants apart', async () => {
    const kettle = await api.post('/api/v1/kb/articles', { title: 'Descale your kettle', body: 'Kettles need descaling every month with vinegar.', status: 'published' }, agent);
    expect(summary(kettle)).toMatchObject({ status: 201, body: { status: 'published', version: 1 } });
    const draft = await api.post('/api/v1/kb/articles', { title: 'Kettle recall', body: 'Some kettles are recalled.' }, agent);
    expect(draft.body).toMatchObject({ status: 'draft' });
    expectProblem(await api.post('/api/v1/kb/articles', { title: 'x', body: 'y' }, viewer), 403);
    expectProblem(await api.post('/api/v1/kb/articles', { title: '', body: 'y' }, agent), 400, ['title']);
    expectProblem(await api.patch(`/api/v1/kb/articles/${kettle.body.id}`, { title: 'Stale' }, agent, { 'if-match': '"7"' }), 412);
    expect((await api.patch(`/api/v1/kb/articles/${kettle.body.id}`, { body: 'Kettles need descaling monthly with citric acid.' }, agent, { 'if-match': '"1"' })).status).toBe(200);

    const staff = await api.get('/api/v1/kb/articles?q=kettles', viewer);
    expect((staff.body.data as Json[]).map((a) => a.title).sort()).toEqual(['Descale your kettle', 'Kettle recall']);
    const found = await api.get('/api/v1/portal/kb/articles?q=kettles', portal.alice);
    expect((found.body.data as Json[]).map((a) => a.title)).toEqual(['Descale your kettle']);
    expect((found.body.data as Json[])[0].snippet).toContain('«Kettles»');
    const suggested = await api.get(`/api/v1/portal/kb/suggestions?text=${encodeURIComponent('my kettle is full of limescale, how do I descale it?')}`, portal.alice);
    expect((suggested.body.data as Json[]).map((a) => a.title)).toEqual(['Descale your kettle']);
    expectProblem(await api.get(`/api/v1/portal/kb/articles/${draft.body.id}`, portal.alice), 404);
    expectProblem(await api.get(`/api/v1/kb/articles/${kettle.body.id}`, agentB), 404);
    expect((await api.get('/api/v1/kb/articles?q=kettles', agentB)).body.data).toEqual([]);
  });

  it('live chat over a real WebSocket: the customer starts, an agent joins, both see every line, the transcript lands on the ticket', async () => {
    const customer = await ChatClient.connect(chatUrl(portal.alice));
    const support = await ChatClient.connect(chatUrl(agent));
    try {
      customer.send('start', { subject: 'Kettle will not switch on' });
      const chat = await customer.next('chat');
      expect(chat).toMatchObject({ status: 'waiting', customerEmail: alice, lines: [] });

      support.send('join', { chatId: chat.id });
      expect(await support.next('chat')).toMatchObject({ id: chat.id, status: 'waiting' });
      customer.send('say', { chatId: chat.id, body: 'Hello, anyone there?' });
      for (const side of [customer, support]) expect(await side.next('line')).toMatchObject({ authorType: 'customer', body: 'Hello, anyone there?' });
      support.send('say', { chatId: chat.id, body: 'Hi! Let us sort it out.' });
      for (const side of [customer, support]) expect(await side.next('line')).toMatchObject({ authorType: 'agent', body: 'Hi! Let us sort it out.' });

      // Bad input names the field; another customer cannot join.
      support.send('say', { chatId: chat.id, body: '' });
      expect(await support.next('error')).toMatchObject({ code: 'VALIDATION_FAILED', request: 'say', errors: [expect.objectContaining({ field: 'body' })] });
      const intruder = await ChatClient.connect(chatUrl(portal.bob));
      intruder.send('join', { chatId: chat.id });
      expect(await intruder.next('error')).toMatchObject({ code: 'NOT_FOUND', request: 'join' });
      intruder.close();

      support.send('end', { chatId: chat.id });
      for (const side of [customer, support]) expect(await side.next('ended')).toMatchObject({ id: chat.id, status: 'ended' });
      const ticket = await api.get(`/api/v1/tickets/${chat.ticketId}`, agent);
      expect(summary(ticket)).toMatchObject({ status: 200, body: { channel: 'chat', status: 'open', requesterEmail: alice } });
      const transcript = (ticket.body.messages as Json[]).at(-1)!.body as string;
      expect(transcript).toMatch(/Customer: Hello, anyone there\?\n.*Agent .*: Hi! Let us sort it out\./);
    } finally {
      customer.close();
      support.close();
    }
  });

  it('refuses a chat socket without a valid token (4401) and to a role that does not work tickets (4403)', async () => {
    expect(await (await ChatClient.connect(chatUrl())).closedWith()).toMatchObject({ code: 4401 });
    expect(await (await ChatClient.connect(chatUrl('not.a.token'))).closedWith()).toMatchObject({ code: 4401 });
    expect(await (await ChatClient.connect(chatUrl(viewer))).closedWith()).toMatchObject({ code: 4403 });
  });

  it('the public web form: a page on an allowed origin opens a web ticket; honeypot, other origins, bad input and roles are refused', async () => {
    const form = await api.post('/api/v1/support-forms', { name: 'Shop help', allowedOrigins: ['https://shop.example'] }, A.token);
    expect(summary(form)).toMatchObject({ status: 201, body: { active: true } });
    expectProblem(await api.post('/api/v1/support-forms', { name: 'Mine' }, agent), 403);
    const path = `/api/v1/support-forms/${form.body.formKey}/submissions`;
    const submission = { name: 'Erin', email: `erin-${run}@customer.example`, subject: 'Checkout fails', body: 'At the last step.' };

    const sent = await api.post(path, submission, undefined, { origin: 'https://shop.example' });
    expect(summary(sent)).toMatchObject({ status: 202, body: { accepted: true } });
    expect(sent.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    const listed = await api.get('/api/v1/tickets?status=new', agent);
    expect((listed.body.data as Json[]).find((t) => t.requesterEmail === submission.email)).toMatchObject({ channel: 'web', subject: 'Checkout fails', requesterName: 'Erin' });

    expect((await api.post(path, { ...submission, subject: 'Spam', website: 'http://spam.example' })).status).toBe(202);
    expect(((await api.get('/api/v1/tickets?status=new', agent)).body.data as Json[]).map((t) => t.subject)).not.toContain('Spam');
    expectProblem(await api.post(path, submission, undefined, { origin: 'https://evil.example' }), 403);
    expectProblem(await api.post(path, { ...submission, email: 'nope' }), 400, ['email']);
    expectProblem(await api.post(`/api/v1/support-forms/${'x'.repeat(32)}/submissions`, submission), 404);
  });
});
