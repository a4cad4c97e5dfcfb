import { ApiResponse, expectProblem, summary } from '../api-client';
import { created, ids, sharedSystem, signUpTenant, Tenant, userWithRole } from './support/crm-api';

const SITE = 'https://www.shop.example';

/** Leads and web-to-lead through the gateway: a web form's submission becomes a lead, converted into an existing contact and a deal; the walls around it. */
describe('sales: leads and web-to-lead forms (e2e)', () => {
  const { api, run } = sharedSystem();
  let A: Tenant;
  let B: Tenant;
  let form: { id: string; formKey: string; version: number };

  const submissions = (formKey: string) => `/api/v1/forms/${formKey}/submissions`;

  beforeAll(async () => {
    A = await signUpTenant(api, run, 'sales-leads-a');
    B = await signUpTenant(api, run, 'sales-leads-b');
    await created(api.post('/api/v1/pipelines', { name: 'New business', stages: [{ name: 'Qualified', winProbability: 10 }] }, A.token));
    form = await created(api.post('/api/v1/forms', { name: 'Contact us', allowedOrigins: [SITE] }, A.token));
  });

  it('web form → lead → converted, reusing the existing contact → the deal exists', async () => {
    const email = `grace-${run}@example.test`;
    const contact = await created(api.post('/api/v1/contacts', { firstName: 'Grace', lastName: 'Hopper', emails: [{ address: email }] }, A.token));

    const submitted = await api.post(submissions(form.formKey), { firstName: 'Grace', lastName: 'Hopper', email, companyName: 'Navy' }, undefined, {
      origin: SITE,
    });
    expect(summary(submitted)).toEqual({ status: 202, body: { accepted: true } });
    expect(submitted.headers.get('access-control-allow-origin')).toBe(SITE);
    const [leadId] = ids(await api.get('/api/v1/leads?source=web_form', A.token));
    const lead = await api.get(`/api/v1/leads/${leadId}`, A.token);
    expect(summary(lead)).toMatchObject({ status: 200, body: { email, status: 'new', formId: form.id } });

    const converted = await api.post(`/api/v1/leads/${leadId}/convert`, { createDeal: { currency: 'EUR', amountMinor: 990_00 } }, A.token, {
      'if-match': '"1"',
    });
    expect(summary(converted)).toMatchObject({ status: 200, body: { contactId: contact.id, lead: { status: 'converted' } } });
    const deal = await api.get(`/api/v1/deals/${converted.body.dealId}`, A.token);
    expect(summary(deal)).toMatchObject({ status: 200, body: { contactId: contact.id, amountMinor: 990_00, leadId } });
    // Again: what it became, no second deal.
    expect((await api.post(`/api/v1/leads/${leadId}/convert`, { createDeal: { currency: 'EUR' } }, A.token)).body.dealId).toBe(converted.body.dealId);
    expect(ids(await api.get(`/api/v1/deals?contactId=${contact.id}`, A.token))).toEqual([converted.body.dealId]);
  });

  it('a filled honeypot is answered like a success and creates nothing', async () => {
    const before = ids(await api.get('/api/v1/leads?limit=100', A.token));
    const bot = await api.post(submissions(form.formKey), { email: `bot-${run}@example.test`, website: 'http://spam.example' }, undefined, { origin: SITE });
    expect(summary(bot)).toEqual({ status: 202, body: { accepted: true } });
    expect(ids(await api.get('/api/v1/leads?limit=100', A.token))).toEqual(before);
  });

  it("CORS per form: the preflight and the answer allow the form's origins only; another origin's post is refused; an unknown key is 404", async () => {
    const preflight = await api.request('OPTIONS', submissions(form.formKey), { headers: { origin: SITE, 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(SITE);
    expect(preflight.headers.get('access-control-allow-methods')).toBe('POST');
    const foreign = await api.request('OPTIONS', submissions(form.formKey), {
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(foreign.status).toBe(204);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    const refused = await api.post(submissions(form.formKey), { email: `x-${run}@example.test` }, undefined, { origin: 'https://evil.example' });
    expectProblem(refused, 403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expectProblem(await api.post(submissions('no-such-form-key-anywhere'), { email: `x-${run}@example.test` }), 404);
  });

  it('a viewer reads but cannot write (403)', async () => {
    const viewer = await userWithRole(api, A, `viewer-sales-leads-${run}@example.test`, 'viewer');
    const lead = await created(api.post('/api/v1/leads', { lastName: 'Viewable', email: `v-${run}@example.test` }, A.token));
    expect((await api.get(`/api/v1/leads/${lead.id}`, viewer)).status).toBe(200);
    expect((await api.get('/api/v1/forms', viewer)).status).toBe(200);
    const writes: Array<[string, Promise<ApiResponse>]> = [
      ['POST /leads', api.post('/api/v1/leads', { lastName: 'Nope' }, viewer)],
      ['PATCH /leads/:id', api.patch(`/api/v1/leads/${lead.id}`, { score: 5 }, viewer)],
      ['POST /leads/:id/disqualify', api.post(`/api/v1/leads/${lead.id}/disqualify`, { reason: 'x' }, viewer)],
      ['POST /leads/:id/convert', api.post(`/api/v1/leads/${lead.id}/convert`, {}, viewer)],
      ['DELETE /leads/:id', api.delete(`/api/v1/leads/${lead.id}`, viewer)],
      ['POST /forms', api.post('/api/v1/forms', { name: 'x' }, viewer)],
      ['PATCH /forms/:id', api.patch(`/api/v1/forms/${form.id}`, { name: 'x' }, viewer)],
    ];
    const statuses = Object.fromEntries(await Promise.all(writes.map(async ([name, r]) => [name, (await r).status] as const)));
    expect(statuses).toEqual(Object.fromEntries(writes.map(([name]) => [name, 403])));
  });

  it("tenant B gets 404 for A's leads and forms and lists none of them", async () => {
    const lead = await created(api.post('/api/v1/leads', { lastName: 'Secret' }, A.token));
    const attempts: Array<[string, Promise<ApiResponse>]> = [
      ['GET lead', api.get(`/api/v1/leads/${lead.id}`, B.token)],
      ['PATCH lead', api.patch(`/api/v1/leads/${lead.id}`, { score: 1 }, B.token)],
      ['POST convert', api.post(`/api/v1/leads/${lead.id}/convert`, {}, B.token)],
      ['POST disqualify', api.post(`/api/v1/leads/${lead.id}/disqualify`, { reason: 'x' }, B.token)],
      ['GET form', api.get(`/api/v1/forms/${form.id}`, B.token)],
      ['PATCH form', api.patch(`/api/v1/forms/${form.id}`, { name: 'Mine' }, B.token)],
    ];
    const statuses = Object.fromEntries(await Promise.all(attempts.map(async ([name, r]) => [name, (await r).status] as const)));
    expect(statuses).toEqual(Object.fromEntries(attempts.map(([name]) => [name, 404])));
    expect(ids(await api.get('/api/v1/leads?limit=100', B.token))).toEqual([]);
    expect(ids(await api.get('/api/v1/forms', B.token))).toEqual([]);
  });

  it('a stale If-Match answers 412', async () => {
    const lead = await created(api.post('/api/v1/leads', { lastName: 'Versioned' }, A.token));
    expect(summary(await api.patch(`/api/v1/leads/${lead.id}`, { status: 'working' }, A.token, { 'if-match': '"1"' }))).toMatchObject({
      status: 200,
      body: { version: 2 },
    });
    expectProblem(await api.patch(`/api/v1/leads/${lead.id}`, { score: 10 }, A.token, { 'if-match': '"1"' }), 412);
    expectProblem(await api.post(`/api/v1/leads/${lead.id}/disqualify`, { reason: 'x' }, A.token, { 'if-match': '"1"' }), 412);
    expectProblem(await api.post(`/api/v1/leads/${lead.id}/convert`, {}, A.token, { 'if-match': '"1"' }), 412);
  });

  it('bad input answers 400 naming the fields', async () => {
    expectProblem(await api.post('/api/v1/leads', { email: 'not-an-email', source: 'fax', score: 1.5 }, A.token), 400, ['email', 'source', 'score']);
    expectProblem(await api.post('/api/v1/forms', { name: '', allowedOrigins: ['not an origin'] }, A.token), 400, ['name', 'allowedOrigins.0']);
    expectProblem(await api.post(submissions(form.formKey), { email: 'nope' }, undefined, { origin: SITE }), 400, ['email']);
    const lead = await created(api.post('/api/v1/leads', { lastName: 'NoCompany' }, A.token));
    expectProblem(await api.post(`/api/v1/leads/${lead.id}/convert`, { createCompany: true, createDeal: { currency: 'euro' } }, A.token), 400, [
      'createDeal.currency',
    ]);
    expectProblem(await api.post(`/api/v1/leads/${lead.id}/convert`, { createCompany: true, createDeal: {} }, A.token), 400, [
      'createCompany',
      'createDeal.currency',
    ]);
  });
});
