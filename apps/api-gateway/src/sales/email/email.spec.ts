import { randomUUID } from 'node:crypto';
import {
  createEmailTemplate,
  DomainError,
  getEmailConsent,
  getEmailSender,
  recordEmailEngagement,
  resetEmailSender,
  sendContactEmail,
  setEmailConsent,
  setEmailSender,
  unsubscribeByToken,
  updateEmailTemplate,
  validationFailed,
} from '@crm/contracts';
import { deleteTestBus, startTestResponder, testBusPrefix } from '@crm/testing';
import { expectProblem, GatewayTestContext, Json, SignedUp } from '../../testing/gateway-test-app';

/**
 * Email routes: one bus call each to the sales-automation service (a stand-in here), 400 naming the
 * field, If-Match passed on, and the public one-click unsubscribe (a form post with no credentials).
 */
describe('email routes', () => {
  const prefix = testBusPrefix();
  const calls: { name: string; request: Json; tenantId: string }[] = [];
  let ctx: GatewayTestContext;
  let service: { close(): Promise<void> };
  let admin: SignedUp;
  const record =
    (name: string, answer: (request: Json) => unknown) =>
    (request: unknown, { actor }: { actor: { tenantId: string } }) => {
      calls.push({ name, request: request as Json, tenantId: actor.tenantId });
      return answer(request as Json);
    };
  const systemSender = { name: 'CRM', address: 'no-reply@crm.localhost', replyTo: null, systemDefault: true, version: 0, updatedAt: null };
  const consent = (contactId: string, status: string) => ({ contactId, status, source: 'api', changedAt: new Date().toISOString(), history: [] });

  beforeAll(async () => {
    ctx = await GatewayTestContext.start({ BUS_NAME_PREFIX: prefix });
    service = await startTestResponder({
      service: 'sales-automation',
      busPrefix: prefix,
      handlers: {
        [createEmailTemplate.name]: record('create', ({ template }) => {
          const now = new Date().toISOString();
          return { ...template, text: template.text ?? null, id: randomUUID(), version: 1, createdAt: now, updatedAt: now };
        }),
        [updateEmailTemplate.name]: record('update', ({ id }) => {
          throw new DomainError('PRECONDITION_FAILED', `template ${id} is at version 2.`, { currentVersion: 2 });
        }),
        [getEmailConsent.name]: record('get-consent', ({ contactId }) => consent(contactId, 'never_asked')),
        [setEmailConsent.name]: record('set-consent', ({ contactId, status }) => consent(contactId, status)),
        [sendContactEmail.name]: record('send', () => ({ status: 'skipped', reason: 'not-subscribed' })),
        [unsubscribeByToken.name]: record('unsubscribe', () => ({ status: 'unsubscribed' })),
        [getEmailSender.name]: record('get-sender', () => ({ ...systemSender })),
        [setEmailSender.name]: record('set-sender', ({ sender }) => ({ ...sender, systemDefault: false, version: 2, updatedAt: new Date().toISOString() })),
        [resetEmailSender.name]: record('reset-sender', () => ({ ...systemSender })),
        [recordEmailEngagement.name]: record('engagement', ({ token, url }) => {
          if (token.startsWith('forged')) throw validationFailed([{ path: 'token', message: 'is not a valid tracking link' }]);
          return { url: url ?? null };
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

  it('creates a template (201, location), passes If-Match on update (412 from the service) and refuses a bad purpose (400 naming it)', async () => {
    const created = await ctx.post(
      '/api/v1/email-templates',
      { name: 'Thanks', purpose: 'transactional', subject: 'Hi', html: '<p>Hi</p>' },
      admin.accessToken,
    );
    expect(created.status).toBe(201);
    const template = (await created.json()) as Json;
    expect(created.headers.get('location')).toBe(`/api/v1/email-templates/${template.id}`);
    await expectProblem(await ctx.patch(`/api/v1/email-templates/${template.id}`, { subject: 'New' }, admin.accessToken, { 'if-match': '"1"' }), 412);
    expect(calls.find((c) => c.name === 'update')?.request).toEqual({ id: template.id, expectedVersion: 1, patch: { subject: 'New' } });
    const bad = await expectProblem(
      await ctx.post('/api/v1/email-templates', { name: 'x', purpose: 'spam', subject: 'Hi', html: '<p/>' }, admin.accessToken),
      400,
    );
    expect(bad.errors.map((e: Json) => e.field)).toEqual(['purpose']);
  });

  it("reads and sets a contact's consent, and sends a template to it", async () => {
    const contactId = randomUUID();
    expect(((await (await ctx.get(`/api/v1/contacts/${contactId}/email-consent`, admin.accessToken)).json()) as Json).status).toBe('never_asked');
    const set = await ctx.request('PUT', `/api/v1/contacts/${contactId}/email-consent`, { body: { status: 'subscribed' }, token: admin.accessToken });
    expect(set.status).toBe(200);
    expect(calls.find((c) => c.name === 'set-consent')?.request).toEqual({ contactId, status: 'subscribed', source: 'api' });
    await expectProblem(await ctx.request('PUT', `/api/v1/contacts/${contactId}/email-consent`, { body: { status: 'maybe' }, token: admin.accessToken }), 400);
    const sent = await ctx.post(`/api/v1/contacts/${contactId}/emails`, { templateId: randomUUID() }, admin.accessToken);
    expect(sent.status).toBe(201);
    expect(await sent.json()).toEqual({ status: 'skipped', reason: 'not-subscribed' });
  });

  it('one-click unsubscribe: a form post with no credentials (RFC 8058); a browser gets a page that asks; a malformed token is a 400', async () => {
    const token = `${Buffer.from('["1"]').toString('base64url')}.${'a'.repeat(43)}`;
    const posted = await fetch(`${ctx.base}/api/v1/public/unsubscribe/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(posted.status).toBe(200);
    expect(await posted.json()).toEqual({ status: 'unsubscribed' });
    expect(calls.find((c) => c.name === 'unsubscribe')).toEqual({ name: 'unsubscribe', request: { token }, tenantId: 'public' });

    const page = await fetch(`${ctx.base}/api/v1/public/unsubscribe/${token}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain(`action="/api/v1/public/unsubscribe/${token}"`);
    expect(calls.filter((c) => c.name === 'unsubscribe')).toHaveLength(1);

    await expectProblem(await fetch(`${ctx.base}/api/v1/public/unsubscribe/not-a-token`, { method: 'POST' }), 400);
  });

  it('tracking: a click redirects (302) to the signed link, an open answers a 1×1 GIF, both with no credentials; a bad token or URL is a 400', async () => {
    const token = `${'A'.repeat(23)}.${'b'.repeat(22)}`;
    const link = 'https://shop.example/spring?ref=mail&x=1';
    const click = await fetch(`${ctx.base}/api/v1/public/email/click/${token}?u=${encodeURIComponent(link)}`, { redirect: 'manual' });
    expect(click.status).toBe(302);
    expect(click.headers.get('location')).toBe(link);
    const engagement = calls.filter((c) => c.name === 'engagement');
    expect(engagement.at(-1)).toEqual({ name: 'engagement', request: { token, url: link }, tenantId: 'public' });

    const open = await fetch(`${ctx.base}/api/v1/public/email/open/${token}`);
    expect(open.status).toBe(200);
    expect(open.headers.get('content-type')).toBe('image/gif');
    expect(
      Buffer.from(await open.arrayBuffer())
        .subarray(0, 6)
        .toString(),
    ).toBe('GIF89a');
    expect(calls.filter((c) => c.name === 'engagement').at(-1)?.request).toEqual({ token });

    await expectProblem(await fetch(`${ctx.base}/api/v1/public/email/click/${token}?u=javascript:alert(1)`, { redirect: 'manual' }), 400);
    await expectProblem(await fetch(`${ctx.base}/api/v1/public/email/click/forged${token}?u=${encodeURIComponent(link)}`, { redirect: 'manual' }), 400);
    await expectProblem(await fetch(`${ctx.base}/api/v1/public/email/open/not-a-token`), 400);
  });

  it("the tenant's sender: read (ETag), set with If-Match (400 naming a bad address), reset; a viewer reads but cannot set", async () => {
    const read = await ctx.get('/api/v1/email-sender', admin.accessToken);
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('"0"');
    const sender = { name: 'Acme', address: 'news@acme.example', replyTo: 'help@acme.example' };
    const set = await ctx.request('PUT', '/api/v1/email-sender', { body: sender, token: admin.accessToken, headers: { 'if-match': '"1"' } });
    expect(set.status).toBe(200);
    expect(set.headers.get('etag')).toBe('"2"');
    expect(calls.filter((c) => c.name === 'set-sender').at(-1)?.request).toEqual({ sender, expectedVersion: 1 });
    const bad = await expectProblem(
      await ctx.request('PUT', '/api/v1/email-sender', { body: { name: 'Acme', address: 'nope' }, token: admin.accessToken }),
      400,
    );
    expect(bad.errors.map((e: Json) => e.field)).toEqual(['address']);
    const reset = await ctx.request('DELETE', '/api/v1/email-sender', { token: admin.accessToken });
    expect(reset.status).toBe(200);
    expect(calls.filter((c) => c.name === 'reset-sender').at(-1)?.request).toEqual({});

    const email = `viewer-${randomUUID()}@example.com`;
    const password = 'correct horse battery staple';
    expect((await ctx.post('/api/v1/users', { email, name: 'viewer', password, roles: ['viewer'] }, admin.accessToken)).status).toBe(201);
    const viewer = await ctx.login(email, password);
    expect((await ctx.get('/api/v1/email-sender', viewer.accessToken)).status).toBe(200);
    await expectProblem(await ctx.request('PUT', '/api/v1/email-sender', { body: sender, token: viewer.accessToken }), 403);
  });
});
