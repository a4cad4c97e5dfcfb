import { ApiResponse, expectProblem } from '../api-client';
import { contactsOf, sharedSystem, signUpTenant, Tenant } from './support/crm-api';
import { CrmFixture } from './support/crm-fixtures';

/** Bad input is a 400 problem+json naming the field, never a 5xx (the client refuses any 5xx). */
describe('bad input (e2e)', () => {
  const { api, run, gatewayUrl } = sharedSystem();
  let A: Tenant;
  let fixture: CrmFixture;

  beforeAll(async () => {
    A = await signUpTenant(api, run, 'bad-input');
    fixture = new CrmFixture(api, A);
    await fixture.defineTier();
    await fixture.companies();
    await fixture.margaretAtAcme();
    await fixture.batchOfTen();
  });

  it('bad input: 400 problem+json naming the fields, never a 5xx', async () => {
    const { margaret } = fixture;
    const { list: contactsOfA } = contactsOf(api, A.token);
    const post = (body: unknown) => api.post('/api/v1/contacts', body, A.token);
    expectProblem(await post({ firstName: 'Eve', emails: [{ address: 'not-an-email' }] }), 400, ['emails.0.address']);
    expectProblem(await post({ firstName: 'Eve', lifecycleStage: 'zombie' }), 400, ['lifecycleStage']);
    expectProblem(await post({ lastName: 'Nameless' }), 400, ['firstName']);
    expectProblem(await post({ firstName: 'Eve', phones: [{ number: 'call me maybe' }] }), 400, ['phones.0.number']);
    expectProblem(await post({ firstName: 'Eve', companyId: '00000000-0000-4000-8000-000000000000' }), 400, ['companyId']);
    expectProblem(await post({ firstName: 'Eve', companyId: 'acme' }), 400, ['companyId']);
    expectProblem(await api.patch(`/api/v1/contacts/${margaret.id}`, { emails: [{ address: 'nope' }] }, A.token), 400, ['emails.0.address']);
    expectProblem(await api.patch(`/api/v1/contacts/${margaret.id}`, { lifecycleStage: 'zombie' }, A.token), 400, ['lifecycleStage']);
    expectProblem(await api.patch(`/api/v1/contacts/${margaret.id}`, { title: 'x' }, A.token, { 'if-match': 'seven' }), 400, ['If-Match']);
    expectProblem(await api.post('/api/v1/companies', { name: '' }, A.token), 400, ['name']);
    expectProblem(await api.post(`/api/v1/contacts/${margaret.id}/interactions`, { channel: 'fax' }, A.token), 400, ['channel']);
    expectProblem(await api.post(`/api/v1/contacts/${margaret.id}/interactions`, { channel: 'note', occurredAt: 'yesterday' }, A.token), 400, ['occurredAt']);
    expectProblem(await api.post(`/api/v1/contacts/${margaret.id}/merge`, { mergedId: 'someone' }, A.token), 400, ['mergedId']);
    expectProblem(await api.post(`/api/v1/contacts/${margaret.id}/merge`, { mergedId: margaret.id }, A.token), 400, ['mergedId']);

    // Malformed ids in the path.
    expectProblem(await api.get('/api/v1/contacts/not-a-uuid', A.token), 400, ['id']);
    expectProblem(await api.patch('/api/v1/contacts/123', { title: 'x' }, A.token), 400, ['id']);
    expectProblem(await api.delete('/api/v1/companies/123', A.token), 400, ['id']);
    expectProblem(await api.get('/api/v1/contacts/not-a-uuid/interactions', A.token), 400, ['contactId']);
    expectProblem(await api.get('/api/v1/contacts/not-a-uuid/export', A.token), 400, ['id']);

    // Query strings.
    expectProblem(await contactsOfA('cursor=garbage'), 400, ['cursor']);
    const page = await contactsOfA('sort=lastName&limit=2');
    expectProblem(await contactsOfA(`sort=-createdAt&limit=2&cursor=${encodeURIComponent(page.body.nextCursor)}`), 400, ['cursor']);
    expectProblem(await api.get('/api/v1/companies?cursor=garbage', A.token), 400, ['cursor']);
    expectProblem(await api.get(`/api/v1/contacts/${margaret.id}/interactions?cursor=garbage`, A.token), 400, ['cursor']);
    expectProblem(await contactsOfA('lifecycleStage=zombie'), 400, ['lifecycleStage']);
    expectProblem(await contactsOfA('updatedSince=yesterday'), 400, ['updatedSince']);
    expectProblem(await contactsOfA('companyId=acme'), 400, ['companyId']);
    expectProblem(await contactsOfA('limit=1000'), 400, ['limit']);
    expectProblem(await contactsOfA('sort=shoeSize'), 400, ['sort']);
    expectProblem(await api.get('/api/v1/analytics/summary?windowDays=0', A.token), 400, ['windowDays']);

    // Not JSON at all.
    const malformed = await api.request('POST', '/api/v1/contacts', { token: A.token, headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
    const broken = await fetch(`${gatewayUrl}/api/v1/contacts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${A.token}` },
      body: '{"firstName": ',
    });
    api.exchanges.push({ method: 'POST', path: '/api/v1/contacts (malformed JSON)', status: broken.status, body: await broken.text() });
    expect(broken.status).toBe(400);
    expect(broken.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('bad input the services must refuse rather than fail on: NUL characters, unpaired surrogates, tampered cursors', async () => {
    const { margaret } = fixture;
    const { list: contactsOfA } = contactsOf(api, A.token);
    // A cursor is opaque, but a client can still send anything: a tampered one is a bad cursor.
    const forged = (sort: string, key: unknown) =>
      encodeURIComponent(Buffer.from(JSON.stringify([sort, key, '00000000-0000-4000-8000-000000000000'])).toString('base64url'));
    const timeline = `/api/v1/contacts/${margaret.id}/interactions`;
    // [what, response, the field the 400 must name]
    const cases: Array<[string, Promise<ApiResponse>, string]> = [
      // Postgres text cannot hold U+0000: refused as invalid input, naming the field.
      ['NUL in q', contactsOfA('q=%00'), 'q'],
      ['NUL after a name in q', contactsOfA('q=Thornton%00'), 'q'],
      ['NUL in tag', contactsOfA('tag=%00'), 'tag'],
      ['NUL in firstName', api.post('/api/v1/contacts', { firstName: 'Nul\u0000' }, A.token), 'firstName'],
      ['NUL in a note', api.post(timeline, { channel: 'note', body: 'a\u0000b' }, A.token), 'body'],
      // JSON's "\uD800" escape parses to half a character: refused too (in an event's jsonb envelope, Postgres would fail on it).
      ['unpaired surrogate in firstName', api.post('/api/v1/contacts', { firstName: 'A\ud800' }, A.token), 'firstName'],
      ['unpaired surrogate in a note', api.post(timeline, { channel: 'note', body: '\udc00b' }, A.token), 'body'],
      ['cursor with a bad time', contactsOfA(`cursor=${forged('-updatedAt', 'not-a-date')}`), 'cursor'],
      ['search cursor with a bad score', contactsOfA(`q=Thornton&cursor=${forged('relevance:thornton', 'abc')}`), 'cursor'],
      ['timeline cursor with a bad time', api.get(`${timeline}?cursor=${forged('-occurredAt', 'garbage')}`, A.token), 'cursor'],
    ];
    const outcomes = await Promise.all(
      cases.map(async ([what, response, field]) => {
        const { status, body } = await response;
        const named = ((body?.errors ?? []) as { field: string }[]).some((e) => e.field === field);
        return [what, { status, named }] as const;
      }),
    );
    expect(Object.fromEntries(outcomes)).toEqual(Object.fromEntries(cases.map(([what]) => [what, { status: 400, named: true }])));
  });
});
