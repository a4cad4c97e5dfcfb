import { expectProblem, Json, summary } from '../api-client';
import { ids, sharedSystem, signUpTenant, Tenant } from './support/crm-api';

/** Companies: versioned records with ETag / If-Match, sorted pages, soft delete and restore. */
describe('companies (e2e)', () => {
  const { api, run } = sharedSystem();
  /** A for the versioned record and its list, B for delete and restore: neither sees the other's companies. */
  let A: Tenant;
  let B: Tenant;

  beforeAll(async () => {
    A = await signUpTenant(api, run, 'companies-a');
    B = await signUpTenant(api, run, 'companies-b');
  });

  it('companies: create, read with an ETag, update with If-Match (stale: 412), list', async () => {
    const created = await api.post('/api/v1/companies', { name: 'Acme Widgets', domain: 'acme.example', industry: 'Widgets', tags: ['key-account'] }, A.token);
    expect(summary(created)).toMatchObject({
      status: 201,
      body: { name: 'Acme Widgets', version: 1, deletedAt: null },
    });
    expect(created.headers.get('location')).toBe(`/api/v1/companies/${created.body.id}`);
    const acme = created.body;
    const second = await api.post('/api/v1/companies', { name: 'Globex Corporation', domain: 'globex.example' }, A.token);
    expect(summary(second)).toMatchObject({ status: 201 });

    const read = await api.get(`/api/v1/companies/${acme.id}`, A.token);
    expect(summary(read)).toMatchObject({
      status: 200,
      body: { id: acme.id, name: 'Acme Widgets', domain: 'acme.example' },
    });
    expect(read.headers.get('etag')).toBe('"1"');

    const updated = await api.patch(`/api/v1/companies/${acme.id}`, { industry: 'Manufacturing' }, A.token, { 'if-match': '"1"' });
    expect(summary(updated)).toMatchObject({
      status: 200,
      body: { industry: 'Manufacturing', version: 2 },
    });
    expect(updated.headers.get('etag')).toBe('"2"');
    const stale = await api.patch(`/api/v1/companies/${acme.id}`, { industry: 'Anvils' }, A.token, { 'if-match': '"1"' });
    expectProblem(stale, 412);
    expect((await api.get(`/api/v1/companies/${acme.id}`, A.token)).body).toMatchObject({ industry: 'Manufacturing', version: 2 });

    const list = await api.get('/api/v1/companies?sort=name', A.token);
    expect(summary(list)).toMatchObject({
      status: 200,
      body: { nextCursor: null },
    });
    expect(list.body.data.map((c: Json) => c.name)).toEqual(['Acme Widgets', 'Globex Corporation']);
    const paged = await api.get('/api/v1/companies?sort=-name&limit=1', A.token);
    expect(paged.body.data.map((c: Json) => c.name)).toEqual(['Globex Corporation']);
    const next = await api.get(`/api/v1/companies?sort=-name&limit=1&cursor=${encodeURIComponent(paged.body.nextCursor)}`, A.token);
    expect(next.body.data.map((c: Json) => c.name)).toEqual(['Acme Widgets']);
  });

  it('a company deleted, restored and deleted again: out of the list while deleted', async () => {
    const soylent = await api.post('/api/v1/companies', { name: 'Soylent' }, B.token);
    expect(summary(soylent)).toMatchObject({ status: 201 });
    const path = `/api/v1/companies/${soylent.body.id}`;
    expect(summary(await api.delete(path, B.token, { 'if-match': '"1"' }))).toMatchObject({ status: 204 });
    expect(ids(await api.get('/api/v1/companies', B.token))).not.toContain(soylent.body.id);
    expect(summary(await api.post(`${path}/restore`, {}, B.token))).toMatchObject({ status: 200, body: { deletedAt: null } });
    expect(ids(await api.get('/api/v1/companies', B.token))).toContain(soylent.body.id);
    expect(summary(await api.delete(path, B.token))).toMatchObject({
      status: 204,
    });
  });
});
