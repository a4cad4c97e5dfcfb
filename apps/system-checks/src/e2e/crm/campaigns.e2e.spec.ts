import { eventually, expectProblem, Json, summary } from '../api-client';
import { created, sharedSystem, signUpTenant, Tenant, userWithRole } from './support/crm-api';
import { mailArrives, mailTo } from './support/mail-and-clock';

/** Mail goes out within the runner's poll (every second) once the campaign's time has come. */
const MAIL_WAIT_MS = 30_000;

/**
 * Campaigns through the gateway and a real SMTP server: the tenant's own sender, a segment by tag
 * previewed and sent at its rate, the click redirect and open pixel recorded on the contact's
 * timeline (the contacts service), and the bad input, roles, tenants and If-Match of the routes.
 */
describe('campaigns: a segment, a marketing template, the tenant sender, tracking (e2e)', () => {
  const { api, run } = sharedSystem();
  let A: Tenant;
  let B: Tenant;
  let offer: Json;

  // Names of their own: the automation file shares the run's mail catcher and its addresses.
  const addressOf = (name: string) => `${name}-${run}@example.test`.toLowerCase();

  async function subscriber(name: string, tags: string[]): Promise<Json> {
    const contact = await created(
      api.post('/api/v1/contacts', { firstName: name, lastName: 'Reader', emails: [{ address: addressOf(name), primary: true }], tags }, A.token),
    );
    await eventually(
      () => api.put(`/api/v1/contacts/${contact.id}/email-consent`, { status: 'subscribed', source: 'form' }, A.token),
      (response) => response.status === 200,
      MAIL_WAIT_MS,
    );
    return contact;
  }

  beforeAll(async () => {
    A = await signUpTenant(api, run, 'campaigns-a');
    B = await signUpTenant(api, run, 'campaigns-b');
    offer = await created(
      api.post(
        '/api/v1/email-templates',
        {
          name: 'Winter sale',
          purpose: 'marketing',
          subject: 'Winter sale, {{ contact.firstName }}',
          html: '<p>Up to 30% off. <a href="https://shop.example/winter?src=mail">See the sale</a></p><p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>',
        },
        A.token,
      ),
    );
  });

  it("sends to the segment from the tenant's sender; a click goes through the redirect and lands on the contact's timeline", async () => {
    const sender = await api.put(
      '/api/v1/email-sender',
      { name: 'Winter Shop', address: 'news@winter-shop.example', replyTo: 'help@winter-shop.example' },
      A.token,
    );
    expect(summary(sender)).toMatchObject({ status: 200, body: { systemDefault: false, address: 'news@winter-shop.example' } });
    const wanda = await subscriber('wanda', ['winter']);
    const walt = await subscriber('walt', ['winter']);
    await subscriber('sam', ['summer']);

    // The sales service's copy of the contacts (with their tags) follows their events.
    const preview = await eventually(
      () => api.post('/api/v1/campaigns/segment-preview', { segment: { tags: ['winter'] } }, A.token),
      (response) => response.body?.count === 2,
      MAIL_WAIT_MS,
    );
    expect(summary(preview)).toMatchObject({ status: 200, body: { count: 2 } });
    expect(preview.body.sample.map((s: Json) => s.contactId).sort()).toEqual([wanda.id, walt.id].sort());

    const campaign = await created(
      api.post(
        '/api/v1/campaigns',
        {
          name: 'Winter sale',
          segment: { tags: ['winter'] },
          content: { kind: 'template', templateId: offer.id },
          scheduledAt: new Date().toISOString(),
          ratePerMinute: 600,
        },
        A.token,
      ),
    );
    expect(campaign).toMatchObject({ status: 'scheduled', ratePerMinute: 600 });
    const mail = await mailArrives((m) => m.to.includes(addressOf('wanda')) && (m.parsed.subject ?? '').startsWith('Winter sale'), MAIL_WAIT_MS);
    await mailArrives((m) => m.to.includes(addressOf('walt')), MAIL_WAIT_MS);
    expect(mail.parsed.from?.value).toEqual([{ name: 'Winter Shop', address: 'news@winter-shop.example' }]);
    expect(mail.messageId).toMatch(/@winter-shop\.example>$/);
    expect(await mailTo(addressOf('sam'))).toHaveLength(0);

    const done = await eventually(
      () => api.get(`/api/v1/campaigns/${campaign.id}`, A.token),
      (response) => response.body?.status === 'sent',
      MAIL_WAIT_MS,
    );
    expect(done.body).toMatchObject({ status: 'sent', counts: { recipients: 2, sent: 2, skipped: 0, failed: 0 } });

    // The mail client follows the link with no credentials: a 302 to the shop, and the click on Wanda's timeline.
    const click = /href="(https?:\/\/[^"]+\/api\/v1\/public\/email\/click\/[^"]+)"/.exec(mail.parsed.html as string)?.[1].replace(/&amp;/g, '&');
    expect(click).toBeDefined();
    const url = new URL(click as string);
    const redirect = await api.request('GET', `${url.pathname}${url.search}`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe('https://shop.example/winter?src=mail');
    const pixel = /<img src="(https?:\/\/[^"]+\/api\/v1\/public\/email\/open\/[^"]+)"/.exec(mail.parsed.html as string)?.[1];
    const opened = await api.request('GET', new URL(pixel as string).pathname);
    expect(opened.status).toBe(200);
    expect(opened.headers.get('content-type')).toBe('image/gif');

    const timeline = await eventually(
      () => api.get(`/api/v1/contacts/${wanda.id}/interactions`, A.token),
      (response) => (response.body?.data ?? []).length === 2,
      MAIL_WAIT_MS,
    );
    expect(timeline.body.data.map((i: Json) => i.subject).sort()).toEqual(['Clicked a link in “Winter sale”', 'Opened “Winter sale”']);
  });

  it('bad input, roles, tenants and If-Match: an empty segment is a 400 naming it; viewers read; another tenant sees 404; a sent campaign no longer changes', async () => {
    const viewer = await userWithRole(api, A, `viewer-campaigns-${run}@example.test`, 'viewer');
    const base = { name: 'Nobody', content: { kind: 'template', templateId: offer.id } };
    expectProblem(await api.post('/api/v1/campaigns', { ...base, segment: { tags: ['nobody-has-this-tag'] } }, A.token), 400, ['segment']);
    expectProblem(await api.post('/api/v1/campaigns', { ...base, segment: {}, ratePerMinute: 0 }, A.token), 400, ['ratePerMinute']);
    expectProblem(await api.post('/api/v1/campaigns', { ...base, segment: {} }, viewer), 403);

    const draft = await created(api.post('/api/v1/campaigns', { ...base, name: 'Draft', segment: {} }, A.token));
    expect(draft).toMatchObject({ status: 'draft', scheduledAt: null });
    expect(summary(await api.get(`/api/v1/campaigns/${draft.id}`, viewer))).toMatchObject({ status: 200, body: { id: draft.id } });
    expectProblem(await api.get(`/api/v1/campaigns/${draft.id}`, B.token), 404);
    expectProblem(await api.patch(`/api/v1/campaigns/${draft.id}`, { name: 'Renamed' }, A.token, { 'if-match': `"${draft.version + 5}"` }), 412);
    const renamed = await api.patch(`/api/v1/campaigns/${draft.id}`, { name: 'Renamed' }, A.token, { 'if-match': `"${draft.version}"` });
    expect(summary(renamed)).toMatchObject({ status: 200, body: { name: 'Renamed', status: 'draft' } });
    const cancelled = await api.post(`/api/v1/campaigns/${draft.id}/cancel`, {}, A.token);
    expect(summary(cancelled)).toMatchObject({ status: 200, body: { status: 'cancelled' } });
    expectProblem(await api.patch(`/api/v1/campaigns/${draft.id}`, { name: 'Again' }, A.token), 409);
    expect(summary(await api.get('/api/v1/email-sender', B.token))).toMatchObject({ status: 200, body: { systemDefault: true } });
  });
});
