import { expectProblem, Json, summary } from '../api-client';
import { contactsOf, figuresOf, figuresOnceCaughtUp, ids, sharedSystem, signUpTenant, userWithRole } from './support/crm-api';
import { CrmFixture } from './support/crm-fixtures';

/** A data subject's rights: an export of everything held, and an erasure only an admin may make. */
describe('export and erasure (e2e)', () => {
  const { api, run } = sharedSystem();
  let fixture: CrmFixture;
  let viewerToken: string;

  beforeAll(async () => {
    fixture = await new CrmFixture(api, await signUpTenant(api, run, 'privacy')).everything();
    await fixture.mergeMaggie();
    viewerToken = await userWithRole(api, fixture.tenant, `viewer-privacy-${run}@example.test`, 'viewer');
  });

  it('export (contact, company, timeline) and erasure as an admin; the viewer may not erase; erased: 404 and uncounted', async () => {
    const { margaret, acme, batch, figures } = fixture;
    const token = fixture.tenant.token;
    const exported = await api.get(`/api/v1/contacts/${margaret.id}/export`, token);
    expect(summary(exported)).toMatchObject({
      status: 200,
      body: {
        exportedAt: expect.any(String),
        contact: { id: margaret.id, emails: [expect.objectContaining({ address: 'margaret.thornton@acme.example' })] },
        company: { id: acme.id, name: 'Acme Widgets' },
      },
    });
    expect(exported.body.interactions).toHaveLength(7);
    expect(exported.body.interactions.map((i: Json) => i.body)).toContain('Can you send a quote?');

    const subject = batch[5];
    expectProblem(await api.post(`/api/v1/contacts/${subject.id}/erase`, {}, viewerToken), 403);
    expect((await api.get(`/api/v1/contacts/${subject.id}`, token)).status).toBe(200);

    const erased = await api.post(`/api/v1/contacts/${subject.id}/erase`, {}, token);
    expect(summary(erased)).toMatchObject({
      status: 200,
      body: { id: subject.id, erasedAt: expect.any(String) },
    });
    figures.contacts.delete(subject.id);

    expectProblem(await api.get(`/api/v1/contacts/${subject.id}`, token), 404);
    expectProblem(await api.get(`/api/v1/contacts/${subject.id}/export`, token), 404);
    expectProblem(await api.post(`/api/v1/contacts/${subject.id}/restore`, {}, token), 404);
    expectProblem(await api.post(`/api/v1/contacts/${subject.id}/erase`, {}, token), 404);
    const { list } = contactsOf(api, token);
    expect(ids(await list('q=Fontaine'))).toEqual([]);
    expect(ids(await list('includeDeleted=true&limit=100'))).not.toContain(subject.id);

    const want = figures.summary();
    const reply = await figuresOnceCaughtUp(api, token, want);
    expect(figuresOf(reply.body)).toEqual(want);
  });
});
