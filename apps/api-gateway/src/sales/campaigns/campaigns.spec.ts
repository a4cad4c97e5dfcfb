import { randomUUID } from 'node:crypto';
import {
  Campaign,
  cancelCampaign,
  createCampaign,
  DomainError,
  getCampaign,
  listCampaigns,
  previewCampaignSegment,
  updateCampaign,
  validationFailed,
} from '@crm/contracts';
import { deleteTestBus, startTestResponder, testBusPrefix } from '@crm/testing';
import { expectProblem, GatewayTestContext, Json, SignedUp } from '../../testing/gateway-test-app';

/**
 * /api/v1/campaigns: one bus call each to the sales-automation service (a stand-in here that keeps
 * campaigns per tenant), 400 naming the field (the gateway's own check and the service's), If-Match
 * passed on, who may design campaigns and who only reads.
 */
describe('campaigns routes', () => {
  const prefix = testBusPrefix();
  const campaigns = new Map<string, Campaign & { tenantId: string }>();
  const calls: { name: string; request: Json }[] = [];
  let ctx: GatewayTestContext;
  let service: { close(): Promise<void> };
  let admin: SignedUp;

  const campaignOf = (tenantId: string, id: string) => {
    const campaign = campaigns.get(id);
    if (!campaign || campaign.tenantId !== tenantId) throw new DomainError('NOT_FOUND', `campaign ${id} not found.`);
    return campaign;
  };
  const answer = ({ tenantId: _tenant, ...campaign }: Campaign & { tenantId: string }) => campaign;
  const handler =
    (name: string, work: (request: Json, tenantId: string) => unknown) =>
    (request: unknown, { actor }: { actor: { tenantId: string } }) => {
      calls.push({ name, request: request as Json });
      return work(request as Json, actor.tenantId);
    };

  beforeAll(async () => {
    ctx = await GatewayTestContext.start({ BUS_NAME_PREFIX: prefix });
    service = await startTestResponder({
      service: 'sales-automation',
      busPrefix: prefix,
      handlers: {
        [createCampaign.name]: handler('create', ({ campaign }, tenantId) => {
          if (campaign.segment.tags?.includes('nobody'))
            throw validationFailed([{ path: 'campaign.segment', message: 'matches no contact', code: 'SEGMENT_EMPTY' }]);
          const now = new Date().toISOString();
          const made = {
            ...campaign,
            id: randomUUID(),
            status: campaign.scheduledAt ? 'scheduled' : 'draft',
            counts: { recipients: 0, sent: 0, enrolled: 0, skipped: 0, failed: 0 },
            errorCode: null,
            startedAt: null,
            finishedAt: null,
            version: 1,
            createdAt: now,
            updatedAt: now,
            tenantId,
          } as Campaign & { tenantId: string };
          campaigns.set(made.id, made);
          return answer(made);
        }),
        [getCampaign.name]: handler('get', ({ id }, tenantId) => answer(campaignOf(tenantId, id))),
        [listCampaigns.name]: handler('list', (_request, tenantId) => ({
          data: [...campaigns.values()].filter((c) => c.tenantId === tenantId).map(answer),
          nextCursor: null,
        })),
        [updateCampaign.name]: handler('update', ({ id, expectedVersion, patch }, tenantId) => {
          const campaign = campaignOf(tenantId, id);
          if (expectedVersion !== undefined && expectedVersion !== campaign.version)
            throw new DomainError('PRECONDITION_FAILED', 'stale', { currentVersion: campaign.version });
          Object.assign(campaign, patch, { version: campaign.version + 1 });
          return answer(campaign);
        }),
        [cancelCampaign.name]: handler('cancel', ({ id }, tenantId) => answer(Object.assign(campaignOf(tenantId, id), { status: 'cancelled' }))),
        [previewCampaignSegment.name]: handler('preview', () => ({ count: 1, sample: [{ contactId: randomUUID(), email: 'ada@example.com' }] })),
      },
    });
    admin = await ctx.signup();
  });

  afterAll(async () => {
    await service?.close();
    await ctx?.close();
    await deleteTestBus(prefix);
  });

  const body = { name: 'Winter sale', segment: { tags: ['winter'] }, content: { kind: 'template', templateId: randomUUID() } };
  const newUser = async (role: string) => {
    const email = `${role}-${randomUUID()}@example.com`;
    const password = 'correct horse battery staple';
    expect((await ctx.post('/api/v1/users', { email, name: role, password, roles: [role] }, admin.accessToken)).status).toBe(201);
    return ctx.login(email, password);
  };

  it('creates a campaign (201, location, ETag, defaults), reads, lists, previews a segment, updates with If-Match and cancels', async () => {
    const created = await ctx.post('/api/v1/campaigns', body, admin.accessToken);
    expect(created.status).toBe(201);
    const campaign = (await created.json()) as Json;
    expect(created.headers.get('location')).toBe(`/api/v1/campaigns/${campaign.id}`);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(calls.find((c) => c.name === 'create')?.request.campaign).toEqual({
      ...body,
      segment: { tags: ['winter'], customFields: {} },
      scheduledAt: null,
      ratePerMinute: 600,
    });
    expect(((await (await ctx.get(`/api/v1/campaigns/${campaign.id}`, admin.accessToken)).json()) as Json).status).toBe('draft');
    expect(((await (await ctx.get('/api/v1/campaigns?status=draft', admin.accessToken)).json()) as Json).data).toHaveLength(1);
    expect(calls.find((c) => c.name === 'list')?.request).toEqual({ status: 'draft', limit: 25 });
    expect((await ctx.get('/api/v1/campaigns?status=scheduled&cursor=abc&limit=10', admin.accessToken)).status).toBe(200);
    expect(calls.filter((c) => c.name === 'list').at(-1)?.request).toEqual({ status: 'scheduled', cursor: 'abc', limit: 10 });

    const preview = await ctx.post('/api/v1/campaigns/segment-preview', { segment: { tags: ['winter'], consent: ['subscribed'] } }, admin.accessToken);
    expect(preview.status).toBe(200);
    expect(((await preview.json()) as Json).count).toBe(1);
    expect(calls.filter((c) => c.name === 'preview').at(-1)?.request).toEqual({ segment: { tags: ['winter'], customFields: {}, consent: ['subscribed'] } });

    await expectProblem(await ctx.patch(`/api/v1/campaigns/${campaign.id}`, { name: 'x' }, admin.accessToken, { 'if-match': '"7"' }), 412);
    const updated = await ctx.patch(`/api/v1/campaigns/${campaign.id}`, { ratePerMinute: 60 }, admin.accessToken, { 'if-match': '"1"' });
    expect(updated.status).toBe(200);
    expect(calls.filter((c) => c.name === 'update').at(-1)?.request).toEqual({ id: campaign.id, expectedVersion: 1, patch: { ratePerMinute: 60 } });
    expect(updated.headers.get('etag')).toBe('"2"');
    const cancelled = await ctx.post(`/api/v1/campaigns/${campaign.id}/cancel`, {}, admin.accessToken, { 'if-match': '"2"' });
    expect(cancelled.status).toBe(200);
    expect(((await cancelled.json()) as Json).status).toBe('cancelled');
    expect(calls.filter((c) => c.name === 'cancel').at(-1)?.request).toEqual({ id: campaign.id, expectedVersion: 2 });
    expect((await ctx.post(`/api/v1/campaigns/${campaign.id}/cancel`, {}, admin.accessToken)).status).toBe(200);
    expect(calls.filter((c) => c.name === 'cancel').at(-1)?.request).toEqual({ id: campaign.id });
  });

  it('names the bad fields: the gateway its own (a rate of 0, an unknown content kind), the service its (a segment matching nobody)', async () => {
    const own = await expectProblem(await ctx.post('/api/v1/campaigns', { ...body, ratePerMinute: 0, content: { kind: 'fax' } }, admin.accessToken), 400);
    expect(own.errors.map((e: Json) => e.field).sort()).toEqual(['content.kind', 'ratePerMinute']);
    const service = await expectProblem(await ctx.post('/api/v1/campaigns', { ...body, segment: { tags: ['nobody'] } }, admin.accessToken), 400);
    expect(service.errors.map((e: Json) => e.field)).toEqual(['segment']);
    await expectProblem(await ctx.get('/api/v1/campaigns/not-a-uuid', admin.accessToken), 400);
    await expectProblem(await ctx.get(`/api/v1/campaigns/${randomUUID()}`, admin.accessToken), 404);
  });

  it('lets managers and admins design campaigns; sales and viewers only read', async () => {
    const campaign = (await (await ctx.post('/api/v1/campaigns', body, admin.accessToken)).json()) as Json;
    for (const role of ['sales', 'viewer']) {
      const user = await newUser(role);
      expect((await ctx.get('/api/v1/campaigns', user.accessToken)).status).toBe(200);
      expect((await ctx.get(`/api/v1/campaigns/${campaign.id}`, user.accessToken)).status).toBe(200);
      expect((await ctx.post('/api/v1/campaigns/segment-preview', { segment: {} }, user.accessToken)).status).toBe(200);
      await expectProblem(await ctx.post('/api/v1/campaigns', body, user.accessToken), 403);
      await expectProblem(await ctx.patch(`/api/v1/campaigns/${campaign.id}`, { name: 'x' }, user.accessToken), 403);
      await expectProblem(await ctx.post(`/api/v1/campaigns/${campaign.id}/cancel`, {}, user.accessToken), 403);
    }
    const manager = await newUser('manager');
    expect((await ctx.post('/api/v1/campaigns', body, manager.accessToken)).status).toBe(201);
  });

  it('documents every route with its operationId and permission', async () => {
    const document = (await (await ctx.get('/docs-json')).json()) as Json;
    const operationIds = (path: string) => Object.values(document.paths[path] as Record<string, Json>).map((operation) => operation.operationId);
    expect(operationIds('/api/v1/campaigns').sort()).toEqual(['createCampaign', 'listCampaigns']);
    expect(operationIds('/api/v1/campaigns/segment-preview')).toEqual(['previewCampaignSegment']);
    expect(operationIds('/api/v1/campaigns/{id}').sort()).toEqual(['getCampaign', 'updateCampaign']);
    expect(operationIds('/api/v1/campaigns/{id}/cancel')).toEqual(['cancelCampaign']);
    expect(document.paths['/api/v1/campaigns'].post['x-permission']).toBe('campaigns:create');
    expect(document.paths['/api/v1/campaigns/segment-preview'].post['x-permission']).toBe('campaigns:read');
    expect(document.paths['/api/v1/campaigns/{id}'].patch['x-permission']).toBe('campaigns:update');
    expect(document.paths['/api/v1/campaigns/{id}/cancel'].post['x-permission']).toBe('campaigns:update');
  });
});
