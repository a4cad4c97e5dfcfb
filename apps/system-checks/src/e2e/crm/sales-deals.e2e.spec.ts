import { ApiResponse, expectProblem, summary } from '../api-client';
import { created, ids, sharedSystem, signUpTenant, Tenant, userWithRole } from './support/crm-api';

/** Pipelines and deals through the gateway: a deal dragged through the stages of a pipeline and won; the walls around it. */
describe('sales: pipelines and deals (e2e)', () => {
  const { api, run } = sharedSystem();
  let A: Tenant;
  let B: Tenant;
  let pipeline: { id: string; stages: { id: string; name: string }[] };

  const board = async (token: string, stageId: string): Promise<string[]> =>
    ids(await api.get(`/api/v1/deals?pipelineId=${pipeline.id}&stageId=${stageId}&sort=position&limit=100`, token));

  beforeAll(async () => {
    A = await signUpTenant(api, run, 'sales-deals-a');
    B = await signUpTenant(api, run, 'sales-deals-b');
    pipeline = await created(
      api.post(
        '/api/v1/pipelines',
        {
          name: 'New business',
          stages: [
            { name: 'Qualified', winProbability: 10 },
            { name: 'Proposal', winProbability: 50 },
            { name: 'Negotiation', winProbability: 80 },
          ],
        },
        A.token,
      ),
    );
  });

  it('pipeline → deal → moved through the stages (history kept) → won', async () => {
    const [qualified, proposal, negotiation] = pipeline.stages;
    expect((await api.get(`/api/v1/pipelines/${pipeline.id}`, A.token)).body).toMatchObject({ isDefault: true, stages: [{ name: 'Qualified' }, {}, {}] });
    const other = await created(api.post('/api/v1/deals', { title: 'Other', currency: 'EUR', amountMinor: 500 }, A.token));
    const response = await api.post(
      '/api/v1/deals',
      {
        title: 'Acme renewal',
        amountMinor: 1_250_000,
        currency: 'EUR',
        expectedCloseDate: '2027-03-31',
        lines: [{ name: 'Seats', quantity: 50, unitPriceMinor: 25_000 }],
      },
      A.token,
    );
    expect(summary(response)).toMatchObject({ status: 201, body: { pipelineId: pipeline.id, stageId: qualified.id, status: 'open', version: 1 } });
    expect(response.headers.get('etag')).toBe('"1"');
    const deal = response.body;
    expect(await board(A.token, qualified.id)).toEqual([other.id, deal.id]);

    const first = await api.post(`/api/v1/deals/${deal.id}/move`, { stageId: qualified.id, beforeId: other.id }, A.token, { 'if-match': '"1"' });
    expect(summary(first)).toMatchObject({ status: 200, body: { stageId: qualified.id, version: 2 } });
    expect(await board(A.token, qualified.id)).toEqual([deal.id, other.id]);
    for (const stage of [proposal, negotiation]) {
      expect(summary(await api.post(`/api/v1/deals/${deal.id}/move`, { stageId: stage.id }, A.token))).toMatchObject({
        status: 200,
        body: { stageId: stage.id },
      });
    }
    expect(await board(A.token, negotiation.id)).toEqual([deal.id]);
    const history = await api.get(`/api/v1/deals/${deal.id}/history`, A.token);
    expect(summary(history)).toMatchObject({ status: 200 });
    expect(history.body.data.map((v: { stageId: string; leftAt: string | null }) => [v.stageId, v.leftAt === null])).toEqual([
      [qualified.id, false],
      [proposal.id, false],
      [negotiation.id, true],
    ]);

    const won = await api.post(`/api/v1/deals/${deal.id}/won`, {}, A.token, { 'if-match': '"4"' });
    expect(summary(won)).toMatchObject({ status: 200, body: { status: 'won', version: 5 } });
    expect(await board(A.token, negotiation.id)).toEqual([]);
    const lost = await api.post(`/api/v1/deals/${other.id}/lost`, { reason: 'Went with a competitor' }, A.token);
    expect(summary(lost)).toMatchObject({ status: 200, body: { status: 'lost', lostReason: 'Went with a competitor' } });
    expect(ids(await api.get('/api/v1/deals?status=won', A.token))).toEqual([deal.id]);
    expect(ids(await api.get('/api/v1/deals?q=acme', A.token))).toEqual([deal.id]);
  });

  it('a stage that still holds deals is removed only once they are moved (409 naming it)', async () => {
    const [qualified, proposal, negotiation] = pipeline.stages;
    const deal = await created(api.post('/api/v1/deals', { title: 'Stuck', currency: 'USD', stageId: proposal.id }, A.token));
    const current = (await api.get(`/api/v1/pipelines/${pipeline.id}`, A.token)).body;
    const keep = [qualified, negotiation].map((s) => ({ id: s.id, name: s.name, winProbability: 30 }));
    const refused = await api.patch(`/api/v1/pipelines/${pipeline.id}`, { stages: keep }, A.token);
    expectProblem(refused, 409);
    expect(refused.body.detail).toContain('Proposal');
    await created(api.post(`/api/v1/deals/${deal.id}/move`, { stageId: negotiation.id }, A.token), 200);
    const updated = await api.patch(`/api/v1/pipelines/${pipeline.id}`, { stages: keep }, A.token, { 'if-match': `"${current.version}"` });
    expect(summary(updated)).toMatchObject({ status: 200, body: { stages: [{ id: qualified.id }, { id: negotiation.id }] } });
    pipeline = updated.body;
  });

  it('a viewer reads but cannot write (403)', async () => {
    const viewer = await userWithRole(api, A, `viewer-sales-deals-${run}@example.test`, 'viewer');
    const deal = await created(api.post('/api/v1/deals', { title: 'Viewable', currency: 'EUR' }, A.token));
    expect((await api.get(`/api/v1/deals/${deal.id}`, viewer)).status).toBe(200);
    expect((await api.get('/api/v1/pipelines', viewer)).status).toBe(200);
    const writes: Array<[string, Promise<ApiResponse>]> = [
      ['POST /deals', api.post('/api/v1/deals', { title: 'Nope', currency: 'EUR' }, viewer)],
      ['PATCH /deals/:id', api.patch(`/api/v1/deals/${deal.id}`, { title: 'Nope' }, viewer)],
      ['POST /deals/:id/move', api.post(`/api/v1/deals/${deal.id}/move`, { stageId: pipeline.stages[1].id }, viewer)],
      ['POST /deals/:id/won', api.post(`/api/v1/deals/${deal.id}/won`, {}, viewer)],
      ['POST /deals/:id/lost', api.post(`/api/v1/deals/${deal.id}/lost`, { reason: 'x' }, viewer)],
      ['DELETE /deals/:id', api.delete(`/api/v1/deals/${deal.id}`, viewer)],
      ['POST /pipelines', api.post('/api/v1/pipelines', { name: 'x', stages: [{ name: 'a', winProbability: 1 }] }, viewer)],
      ['DELETE /pipelines/:id', api.delete(`/api/v1/pipelines/${pipeline.id}`, viewer)],
    ];
    const statuses = Object.fromEntries(await Promise.all(writes.map(async ([name, r]) => [name, (await r).status] as const)));
    expect(statuses).toEqual(Object.fromEntries(writes.map(([name]) => [name, 403])));
  });

  it("tenant B gets 404 for A's pipeline and deals and lists none of them", async () => {
    const deal = await created(api.post('/api/v1/deals', { title: 'Secret', currency: 'EUR' }, A.token));
    const path = `/api/v1/deals/${deal.id}`;
    const attempts: Array<[string, Promise<ApiResponse>]> = [
      [`GET deal`, api.get(path, B.token)],
      [`PATCH deal`, api.patch(path, { title: 'Mine' }, B.token)],
      [`GET history`, api.get(`${path}/history`, B.token)],
      [`POST move`, api.post(`${path}/move`, { stageId: pipeline.stages[0].id }, B.token)],
      [`POST won`, api.post(`${path}/won`, {}, B.token)],
      [`DELETE deal`, api.delete(path, B.token)],
      [`GET pipeline`, api.get(`/api/v1/pipelines/${pipeline.id}`, B.token)],
      [`PATCH pipeline`, api.patch(`/api/v1/pipelines/${pipeline.id}`, { name: 'Mine' }, B.token)],
    ];
    const statuses = Object.fromEntries(await Promise.all(attempts.map(async ([name, r]) => [name, (await r).status] as const)));
    expect(statuses).toEqual(Object.fromEntries(attempts.map(([name]) => [name, 404])));
    expect(ids(await api.get('/api/v1/deals?limit=100', B.token))).toEqual([]);
    expect(ids(await api.get('/api/v1/pipelines', B.token))).toEqual([]);
  });

  it('a stale If-Match answers 412', async () => {
    const deal = await created(api.post('/api/v1/deals', { title: 'Versioned', currency: 'EUR' }, A.token));
    expect(summary(await api.patch(`/api/v1/deals/${deal.id}`, { amountMinor: 900 }, A.token, { 'if-match': '"1"' }))).toMatchObject({
      status: 200,
      body: { version: 2 },
    });
    expectProblem(await api.patch(`/api/v1/deals/${deal.id}`, { amountMinor: 1000 }, A.token, { 'if-match': '"1"' }), 412);
    expectProblem(await api.post(`/api/v1/deals/${deal.id}/move`, { stageId: pipeline.stages[1].id }, A.token, { 'if-match': '"1"' }), 412);
    expectProblem(await api.post(`/api/v1/deals/${deal.id}/won`, {}, A.token, { 'if-match': '"1"' }), 412);
  });

  it('invalid amount, currency and dates answer 400 naming the fields', async () => {
    expectProblem(await api.post('/api/v1/deals', { title: 'Bad', amountMinor: 10.5, currency: 'euro', expectedCloseDate: '2027-02-30' }, A.token), 400, [
      'amountMinor',
      'currency',
      'expectedCloseDate',
    ]);
    expectProblem(await api.post('/api/v1/deals', { title: 'Bad', amountMinor: -1, currency: 'XYZ' }, A.token), 400, ['amountMinor', 'currency']);
    expectProblem(await api.post('/api/v1/deals', { title: 'Bad', currency: 'EUR', lines: [{ name: 'x', quantity: 0, unitPriceMinor: 1 }] }, A.token), 400, [
      'lines.0.quantity',
    ]);
    expectProblem(await api.post('/api/v1/deals', { title: 'Bad', currency: 'EUR', stageId: '00000000-0000-4000-8000-000000000000' }, A.token), 400, [
      'stageId',
    ]);
    expectProblem(await api.get('/api/v1/deals?sort=position', A.token), 400, ['pipelineId', 'stageId']);
    expectProblem(await api.post('/api/v1/pipelines', { name: 'Bad', stages: [{ name: 'x', winProbability: 150 }] }, A.token), 400, [
      'stages.0.winProbability',
    ]);
  });
});
