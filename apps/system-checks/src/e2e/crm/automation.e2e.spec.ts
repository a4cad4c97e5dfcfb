import { eventually, expectProblem, Json, summary } from '../api-client';
import { created, sharedSystem, signUpTenant, Tenant, userWithRole } from './support/crm-api';
import { mailArrives, mailTo, setClockAhead } from './support/mail-and-clock';

const DAY_MS = 24 * 60 * 60 * 1000;
/** The message's header block with folded lines unfolded (RFC 5322: a long header continues on indented lines). */
const headersOf = (raw: string) => raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
/** How long a sent message may take to reach the SMTP server: the event travels the bus to the rule first. */
const MAIL_WAIT_MS = 30_000;
/** A due sequence step is taken by the service's runner, which polls every second. */
const OFFER_WAIT_MS = 60_000;

/**
 * The seeds' example through the gateway and a real SMTP server (in the set-up process): an order
 * recorded → a workflow rule on `order.recorded` starts a sequence → a thank-you now → an offer
 * three weeks later (the service's clock moved by weeks with OffsetFileClock) unless the customer
 * bought again (the sequence exits on a purchase); one-click unsubscribe stops marketing mail but
 * not transactional mail.
 */
describe('automation: thank-you now, offer three weeks later, unsubscribe (e2e)', () => {
  const { api, run } = sharedSystem();
  let A: Tenant;
  let B: Tenant;
  let thankYou: Json;
  let offer: Json;
  let product: Json;
  let sequence: Json;

  const addressOf = (name: string) => `${name}-${run}@example.test`.toLowerCase();

  async function customer(name: string): Promise<Json> {
    const contact = await created(
      api.post('/api/v1/contacts', { firstName: name, lastName: 'Buyer', emails: [{ address: addressOf(name), primary: true }] }, A.token),
    );
    // The sales service keeps a copy of the contact from its events: consent can be set once it is there.
    await eventually(
      () => api.put(`/api/v1/contacts/${contact.id}/email-consent`, { status: 'subscribed', source: 'form' }, A.token),
      (response) => response.status === 200,
      MAIL_WAIT_MS,
    );
    return contact;
  }

  const recordOrder = (contactId: string) =>
    created(
      api.post(
        '/api/v1/orders',
        { contactId, currency: 'EUR', purchasedAt: new Date().toISOString(), lines: [{ productId: product.id, quantity: 1 }] },
        A.token,
      ),
    );

  const subjectTo = (address: string, subject: string) => (m: { to: string[]; parsed: { subject?: string } }) =>
    m.to.some((to) => to.toLowerCase() === address) && (m.parsed.subject ?? '').startsWith(subject);

  beforeAll(async () => {
    A = await signUpTenant(api, run, 'automation-a');
    B = await signUpTenant(api, run, 'automation-b');
    product = await created(api.post('/api/v1/products', { sku: 'GIFT-1', name: 'Gift box', unitPriceMinor: 30_00, currency: 'EUR' }, A.token));
    thankYou = await created(
      api.post(
        '/api/v1/email-templates',
        {
          name: 'Thank you',
          purpose: 'transactional',
          subject: 'Thank you, {{ contact.firstName }}',
          html: '<p>Thank you for your order of {{ order.totalMinor }} cents.</p>',
        },
        A.token,
      ),
    );
    offer = await created(
      api.post(
        '/api/v1/email-templates',
        {
          name: 'Offer',
          purpose: 'marketing',
          subject: 'An offer for {{ contact.firstName }}',
          html: '<p>10% off your next order. <a href="{{ unsubscribe_url }}">Unsubscribe</a></p>',
        },
        A.token,
      ),
    );
    sequence = await created(
      api.post(
        '/api/v1/sequences',
        {
          name: 'After a purchase: thank-you now, an offer in three weeks',
          exitOn: ['purchased', 'unsubscribed'],
          steps: [
            { type: 'sendEmail', templateId: thankYou.id },
            { type: 'wait', days: 21 },
            { type: 'sendEmail', templateId: offer.id },
          ],
        },
        A.token,
      ),
    );
    await created(
      api.post(
        '/api/v1/workflow-rules',
        {
          name: 'Order recorded → the purchase sequence',
          trigger: { kind: 'event', type: 'sales-automation.order.recorded.v1' },
          actions: [{ type: 'startSequence', sequenceId: sequence.id }],
        },
        A.token,
      ),
    );
  });

  const enrolmentsOf = async (contactId: string): Promise<Json[]> => {
    const page = await api.get(`/api/v1/enrolments?contactId=${contactId}`, A.token);
    expect(page.status).toBe(200);
    return page.body.data as Json[];
  };

  afterEach(() => setClockAhead(0));

  it('an order recorded → the thank-you by SMTP within seconds; three weeks later → the offer, with one-click unsubscribe headers', async () => {
    const ada = await customer('ada');
    await recordOrder(ada.id);
    const thanks = await mailArrives(subjectTo(addressOf('ada'), 'Thank you, ada'), MAIL_WAIT_MS);
    expect(thanks.messageId).toMatch(/^<.+@.+>$/);
    expect(thanks.parsed.text).toContain('Thank you for your order of 3000 cents.');
    expect(headersOf(thanks.raw)).not.toMatch(/^List-Unsubscribe/im);
    expect(await mailTo(addressOf('ada'))).toHaveLength(1);

    setClockAhead(21 * DAY_MS + 60_000);
    // The wait is a row of the service's Postgres (its due time), taken by the runner's poll.
    const offerMail = await mailArrives(subjectTo(addressOf('ada'), 'An offer for ada'), OFFER_WAIT_MS);
    expect(headersOf(offerMail.raw)).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
    expect(headersOf(offerMail.raw)).toMatch(/^List-Unsubscribe: <https?:\/\/[^>]+\/api\/v1\/public\/unsubscribe\/[^>]+>/m);
    expect(offerMail.parsed.text).toContain('10% off your next order');
    const [enrolment] = await eventually(
      () => enrolmentsOf(ada.id),
      (list) => list[0]?.status === 'completed',
      MAIL_WAIT_MS,
    );
    expect(enrolment).toMatchObject({ sequenceId: sequence.id, status: 'completed', source: { kind: 'rule' } });
    const detail = await api.get(`/api/v1/enrolments/${enrolment.id}`, A.token);
    expect(detail.body.history.map((h: Json) => `${h.index}:${h.type}:${h.status}`)).toEqual([
      '0:sendEmail:succeeded',
      '1:wait:succeeded',
      '2:sendEmail:succeeded',
    ]);
  });

  it('a second purchase within the three weeks → no offer for the first (its enrolment exits); the second starts its own', async () => {
    const bob = await customer('bob');
    const carl = await customer('carl');
    await recordOrder(bob.id);
    await recordOrder(carl.id);
    await mailArrives(subjectTo(addressOf('bob'), 'Thank you, bob'), MAIL_WAIT_MS);
    await mailArrives(subjectTo(addressOf('carl'), 'Thank you, carl'), MAIL_WAIT_MS);
    const [first] = await enrolmentsOf(bob.id);

    setClockAhead(10 * DAY_MS);
    // The service rereads the offset file at most every 200 ms: the second purchase must be on the moved clock.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await recordOrder(bob.id);
    const bobs = await eventually(
      () => enrolmentsOf(bob.id),
      // The second enrolment has sent its thank-you and waits (the runner records a batch after its mail).
      (list) => list.length === 2 && list.some((e) => e.id !== first.id && e.nextStep === 2),
      MAIL_WAIT_MS,
    );
    expect(bobs.find((e) => e.id === first.id)).toMatchObject({ status: 'exited', exitReason: 'purchased' });
    expect(bobs.find((e) => e.id !== first.id)).toMatchObject({ status: 'active', nextStep: 2 });
    expect((await mailTo(addressOf('bob'))).filter((m) => (m.parsed.subject ?? '').startsWith('Thank you'))).toHaveLength(2);

    // Three weeks after the first purchase (not yet after the second): carl, who bought once, gets
    // the offer; bob's would have gone in the same pass of the runner.
    setClockAhead(21 * DAY_MS + 60_000);
    await mailArrives(subjectTo(addressOf('carl'), 'An offer for carl'), OFFER_WAIT_MS);
    const bobsOffers = (await mailTo(addressOf('bob'))).filter((m) => (m.parsed.subject ?? '').startsWith('An offer'));
    expect(bobsOffers).toHaveLength(0);
  });

  it('enrols by hand (sales) and pauses with If-Match; one running enrolment per contact; viewers read, another tenant sees 404', async () => {
    const dora = await customer('dora');
    const sales = await userWithRole(api, A, `sales-automation-${run}@example.test`, 'sales');
    const viewer = await userWithRole(api, A, `viewer-sequences-${run}@example.test`, 'viewer');
    expectProblem(await api.post('/api/v1/sequences', { name: 'x', steps: [{ type: 'sendEmail', templateId: offer.id }] }, sales), 403);
    expectProblem(await api.post(`/api/v1/sequences/${sequence.id}/enrolments`, { contactId: dora.id }, viewer), 403);

    const enrolled = await api.post(`/api/v1/sequences/${sequence.id}/enrolments`, { contactId: dora.id }, sales);
    expect(summary(enrolled)).toMatchObject({ status: 201, body: { status: 'active', source: { kind: 'manual' } } });
    expect(enrolled.headers.get('location')).toBe(`/api/v1/enrolments/${enrolled.body.id}`);
    const twice = await api.post(`/api/v1/sequences/${sequence.id}/enrolments`, { contactId: dora.id }, sales);
    expectProblem(twice, 409);
    await mailArrives(subjectTo(addressOf('dora'), 'Thank you, dora'), MAIL_WAIT_MS);

    const waiting = await eventually(
      () => api.get(`/api/v1/enrolments/${enrolled.body.id}`, viewer),
      (response) => response.body.nextStep === 2,
      MAIL_WAIT_MS,
    );
    expectProblem(await api.post(`/api/v1/enrolments/${enrolled.body.id}/pause`, {}, sales, { 'if-match': `"${waiting.body.version + 3}"` }), 412);
    const paused = await api.post(`/api/v1/enrolments/${enrolled.body.id}/pause`, {}, sales, { 'if-match': `"${waiting.body.version}"` });
    expect(summary(paused)).toMatchObject({ status: 200, body: { status: 'paused' } });
    expectProblem(await api.post(`/api/v1/enrolments/${enrolled.body.id}/pause`, {}, sales), 409);
    expectProblem(await api.get(`/api/v1/enrolments/${enrolled.body.id}`, B.token), 404);
    expectProblem(await api.get(`/api/v1/sequences/${sequence.id}`, B.token), 404);
    expect(summary(await api.post(`/api/v1/enrolments/${enrolled.body.id}/stop`, {}, sales))).toMatchObject({
      status: 200,
      body: { status: 'exited', exitReason: 'stopped' },
    });
  });

  it('one-click unsubscribe → no further marketing mail; transactional mail is still sent', async () => {
    const cleo = await customer('cleo');
    const manual = await api.post(`/api/v1/contacts/${cleo.id}/emails`, { templateId: offer.id }, A.token);
    expect(summary(manual)).toMatchObject({ status: 201, body: { status: 'sent' } });
    const offerMail = await mailArrives(subjectTo(addressOf('cleo'), 'An offer for cleo'), MAIL_WAIT_MS);
    const link = /^List-Unsubscribe: <(https?:\/\/[^>]+)>/m.exec(headersOf(offerMail.raw))?.[1];
    expect(link).toBeDefined();

    // RFC 8058: the mail client POSTs the form body to the link, with no credentials.
    const path = new URL(link as string).pathname;
    const oneClick = await api.request('POST', path, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      rawBody: 'List-Unsubscribe=One-Click',
    });
    expect(summary(oneClick)).toMatchObject({ status: 200, body: { status: 'unsubscribed' } });
    expect(summary(await api.get(`/api/v1/contacts/${cleo.id}/email-consent`, A.token))).toMatchObject({
      status: 200,
      body: { status: 'unsubscribed', source: 'unsubscribe-link' },
    });

    const again = await api.post(`/api/v1/contacts/${cleo.id}/emails`, { templateId: offer.id }, A.token);
    expect(summary(again)).toMatchObject({ status: 201, body: { status: 'skipped', reason: 'not-subscribed' } });
    await recordOrder(cleo.id);
    await mailArrives(subjectTo(addressOf('cleo'), 'Thank you, cleo'), MAIL_WAIT_MS);
    const marketing = (await mailTo(addressOf('cleo'))).filter((m) => (m.parsed.subject ?? '').startsWith('An offer'));
    expect(marketing).toHaveLength(1);
  });

  it('roles, tenants and bad input: a viewer cannot design, another tenant sees 404, a broken template, a bad cron and a negative wait answer 400', async () => {
    const viewer = await userWithRole(api, A, `viewer-automation-${run}@example.test`, 'viewer');
    expect(summary(await api.get(`/api/v1/email-templates/${offer.id}`, viewer))).toMatchObject({ status: 200 });
    expectProblem(await api.post('/api/v1/email-templates', { name: 'x', purpose: 'marketing', subject: 's', html: '<p>x</p>' }, viewer), 403);
    expectProblem(await api.get(`/api/v1/email-templates/${offer.id}`, B.token), 404);

    expectProblem(
      await api.post(
        '/api/v1/email-templates',
        { name: 'Broken', purpose: 'marketing', subject: 'Hi', html: '<p>{% if contact.firstName %}never closed</p>' },
        A.token,
      ),
      400,
      ['html'],
    );
    const rule = (trigger: Json, actions: Json[]) => api.post('/api/v1/workflow-rules', { name: 'Bad', trigger, actions }, A.token);
    expectProblem(await rule({ kind: 'schedule', cron: '61 * * * *' }, [{ type: 'sendEmail', templateId: offer.id }]), 400);
    expectProblem(await rule({ kind: 'event', type: 'sales-automation.order.recorded.v1' }, [{ type: 'wait', days: -1 }]), 400);
    const badSequence = (steps: Json[]) => api.post('/api/v1/sequences', { name: 'Bad', steps }, A.token);
    expectProblem(await badSequence([{ type: 'wait', days: -1 }]), 400, ['steps.0.days']);
    expectProblem(await badSequence([{ type: 'sendEmail', templateId: '00000000-0000-4000-8000-000000000000' }]), 400, ['steps.0.templateId']);
    expectProblem(await api.patch(`/api/v1/sequences/${sequence.id}`, { name: 'Renamed' }, A.token, { 'if-match': '"99"' }), 412);

    expectProblem(await api.patch(`/api/v1/email-templates/${offer.id}`, { subject: 'Changed' }, A.token, { 'if-match': '"99"' }), 412);
  });
});
