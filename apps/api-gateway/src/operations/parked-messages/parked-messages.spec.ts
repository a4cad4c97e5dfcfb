import { declareEventTopology, MESSAGE_HEADERS, resolveOptions, TopologyNames } from '@crm/messaging';
import { deleteTestBus, testBusPrefix } from '@crm/testing';
import * as amqp from 'amqplib';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { listControllerRoutes } from '../../openapi/route-catalog';
import { Database } from '../../infrastructure/database/database';
import { createOperator } from '../../platform/create-operator';
import { expectProblem, GatewayTestContext, Json, SignedUp } from '../../testing/gateway-test-app';

const parkedPath = (service: string) => `/api/v1/operations/services/${service}/parked`;
const platformPath = (service: string) => `/api/v1/platform/services/${service}/parked`;

/** A message as the library parks it: a copy of the event with the reason, the error and the retries in headers. */
function parkedEvent(type: string, error: string, tenantId?: string, data: object = {}) {
  const id = randomUUID();
  const envelope = { specversion: '1.0', id, type, source: 'crm/contacts', time: new Date().toISOString(), subject: randomUUID(), tenantid: tenantId, data };
  return {
    id,
    envelope,
    content: Buffer.from(JSON.stringify(envelope)),
    options: {
      persistent: true,
      messageId: id,
      type,
      contentType: 'application/json',
      headers: {
        [MESSAGE_HEADERS.retries]: 5,
        [MESSAGE_HEADERS.lastError]: error,
        [MESSAGE_HEADERS.parkedReason]: 'retries-exhausted',
        [MESSAGE_HEADERS.parkedAt]: new Date().toISOString(),
      },
    },
  };
}

describe('operator routes: parked messages of a service', () => {
  const prefix = testBusPrefix();
  let ctx: GatewayTestContext;
  let admin: SignedUp;
  let viewerToken: string;
  let connection: amqp.ChannelModel;
  let channel: amqp.ConfirmChannel;
  // The contacts service's names under this test's prefix, derived as the service itself derives them.
  const contacts = (url: string) => new TopologyNames(resolveOptions({ service: 'contacts', url, namePrefix: prefix }));
  let names: TopologyNames;

  beforeAll(async () => {
    ctx = await GatewayTestContext.start({ BUS_NAME_PREFIX: prefix });
    names = contacts(ctx.config.RABBITMQ_URL);
    connection = await amqp.connect(ctx.config.RABBITMQ_URL);
    channel = await connection.createConfirmChannel();
    await declareEventTopology(channel, names, resolveOptions({ service: 'contacts', url: ctx.config.RABBITMQ_URL, namePrefix: prefix }), [
      'contacts.test.never-published.v1',
    ]);
    admin = await ctx.signup();
    const viewer = { email: `viewer-${randomUUID()}@example.com`, password: 'correct horse battery staple' };
    const created = await ctx.post('/api/v1/users', { ...viewer, name: 'Vic', roles: ['viewer'] }, admin.accessToken);
    expect(created.status).toBe(201);
    viewerToken = (await ctx.login(viewer.email, viewer.password)).accessToken;
  });

  afterAll(async () => {
    await ctx?.close();
    await connection?.close().catch(() => undefined);
    await deleteTestBus(prefix);
  });

  async function park(...messages: ReturnType<typeof parkedEvent>[]) {
    for (const m of messages) channel.sendToQueue(names.parkingQueue, m.content, m.options);
    await channel.waitForConfirms();
  }

  async function drainWorkQueue(): Promise<string[]> {
    const ids: string[] = [];
    for (let msg = await channel.get(names.workQueue, { noAck: true }); msg; msg = await channel.get(names.workQueue, { noAck: true })) {
      ids.push(msg.properties.messageId as string);
      expect(msg.properties.headers?.[MESSAGE_HEADERS.redrivenAt]).toEqual(expect.any(String));
      expect(msg.properties.headers?.[MESSAGE_HEADERS.parkedReason]).toBeUndefined();
    }
    return ids;
  }

  it('lists, then re-drives one by id, then all, into the service work queue', async () => {
    const first = parkedEvent('contacts.contact.created.v1', 'database said no', admin.tenant.id);
    const second = parkedEvent('contacts.contact.updated.v1', 'timeout talking to x', admin.tenant.id);
    const third = parkedEvent('contacts.contact.deleted.v1', 'boom', admin.tenant.id);
    await park(first, second, third);

    const listed = await ctx.get(parkedPath('contacts'), admin.accessToken);
    expect(listed.status).toBe(200);
    const { data } = (await listed.json()) as Json;
    expect(data).toHaveLength(3);
    expect(data).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: first.id, type: 'contacts.contact.created.v1', reason: 'retries-exhausted', error: 'database said no', retries: 5 }),
        expect.objectContaining({ id: second.id, type: 'contacts.contact.updated.v1', error: 'timeout talking to x' }),
        expect.objectContaining({ id: third.id, type: 'contacts.contact.deleted.v1', error: 'boom' }),
      ]),
    );
    // Listing does not remove.
    expect((await channel.checkQueue(names.parkingQueue)).messageCount).toBe(3);
    const limited = (await (await ctx.get(`${parkedPath('contacts')}?limit=1`, admin.accessToken)).json()) as Json;
    expect(limited.data).toHaveLength(1);

    const one = await ctx.post(`${parkedPath('contacts')}/redrive`, { ids: [second.id] }, admin.accessToken);
    expect(one.status).toBe(200);
    expect(await one.json()).toEqual({ redriven: 1 });
    expect(await drainWorkQueue()).toEqual([second.id]);
    const left = (await (await ctx.get(parkedPath('contacts'), admin.accessToken)).json()) as Json;
    expect(left.data.map((m: Json) => m.id).sort()).toEqual([first.id, third.id].sort());

    const all = await ctx.post(`${parkedPath('contacts')}/redrive`, {}, admin.accessToken);
    expect(await all.json()).toEqual({ redriven: 2 });
    expect((await drainWorkQueue()).sort()).toEqual([first.id, third.id].sort());
    expect((await channel.checkQueue(names.parkingQueue)).messageCount).toBe(0);
  });

  it('answers an empty list for a known service whose parking queue does not exist yet, and keeps working', async () => {
    const listed = await ctx.get(parkedPath('analytics'), admin.accessToken);
    expect(listed.status).toBe(200);
    expect(await listed.json()).toEqual({ data: [] });
    const redriven = await ctx.post(`${parkedPath('analytics')}/redrive`, {}, admin.accessToken);
    expect(await redriven.json()).toEqual({ redriven: 0 });
    expect((await ctx.get(parkedPath('contacts'), admin.accessToken)).status).toBe(200);
  });

  it('refuses to re-drive into a work queue that does not exist (the messages would be dropped), keeping them parked', async () => {
    const analyticsParking = `${prefix}analytics.events.parked`;
    await channel.assertQueue(analyticsParking, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    const message = parkedEvent('analytics.thing.happened.v1', 'nope', admin.tenant.id);
    channel.sendToQueue(analyticsParking, message.content, message.options);
    await channel.waitForConfirms();

    await expectProblem(await ctx.post(`${parkedPath('analytics')}/redrive`, {}, admin.accessToken), 409);
    expect((await channel.checkQueue(analyticsParking)).messageCount).toBe(1);
  });

  it('is for admins only: a viewer gets 403 on every route', async () => {
    await expectProblem(await ctx.get(parkedPath('contacts'), viewerToken), 403);
    await expectProblem(await ctx.get(`${parkedPath('contacts')}/${randomUUID()}`, viewerToken), 403);
    await expectProblem(await ctx.post(`${parkedPath('contacts')}/redrive`, {}, viewerToken), 403);
  });

  it('answers 404 for a service it does not know, without touching the broker', async () => {
    await expectProblem(await ctx.get(parkedPath('nosuch'), admin.accessToken), 404);
    await expectProblem(await ctx.post(`${parkedPath('nosuch')}/redrive`, {}, admin.accessToken), 404);
  });

  it('answers 400 naming the field for a bad limit or bad ids', async () => {
    const badLimit = await expectProblem(await ctx.get(`${parkedPath('contacts')}?limit=0`, admin.accessToken), 400);
    expect(badLimit.errors).toEqual([expect.objectContaining({ field: 'limit' })]);
    const badIds = await expectProblem(await ctx.post(`${parkedPath('contacts')}/redrive`, { ids: [] }, admin.accessToken), 400);
    expect(badIds.errors).toEqual([expect.objectContaining({ field: 'ids' })]);
  });
});

/**
 * Defect 1 of issue 9: the parking queue holds every tenant's messages. A tenant admin sees and
 * re-drives its own tenant's only; the platform operator (not a tenant user, created by the
 * command-line tool only) sees every tenant's, without bodies unless it asks for one by id.
 */
describe('parked messages behind the tenant wall, and the platform operator', () => {
  const prefix = testBusPrefix();
  let ctx: GatewayTestContext;
  let adminA: SignedUp;
  let adminB: SignedUp;
  let operatorToken: string;
  let connection: amqp.ChannelModel;
  let channel: amqp.ConfirmChannel;
  let names: TopologyNames;
  const operator = { email: `ops-${randomUUID()}@example.com`, name: 'Olga Ops', password: 'a long operator passphrase' };

  beforeAll(async () => {
    ctx = await GatewayTestContext.start({ BUS_NAME_PREFIX: prefix });
    const options = resolveOptions({ service: 'contacts', url: ctx.config.RABBITMQ_URL, namePrefix: prefix });
    names = new TopologyNames(options);
    connection = await amqp.connect(ctx.config.RABBITMQ_URL);
    channel = await connection.createConfirmChannel();
    await declareEventTopology(channel, names, options, ['contacts.test.never-published.v1']);
    [adminA, adminB] = await Promise.all([ctx.signup({ organization: 'Tenant A' }), ctx.signup({ organization: 'Tenant B' })]);
    await createOperator(ctx.app.get(Database), operator);
    const login = await ctx.post('/api/v1/platform/auth/login', { email: operator.email, password: operator.password });
    expect(login.status).toBe(200);
    operatorToken = ((await login.json()) as Json).accessToken;
  });

  afterAll(async () => {
    await ctx?.close();
    await connection?.close().catch(() => undefined);
    await deleteTestBus(prefix);
  });

  beforeEach(async () => {
    await channel.purgeQueue(names.parkingQueue);
    await channel.purgeQueue(names.workQueue);
  });

  async function park(...messages: ReturnType<typeof parkedEvent>[]) {
    for (const m of messages) channel.sendToQueue(names.parkingQueue, m.content, m.options);
    await channel.waitForConfirms();
  }

  async function parkedIds(): Promise<string[]> {
    const listed = await ctx.get(platformPath('contacts'), operatorToken);
    expect(listed.status).toBe(200);
    return ((await listed.json()) as Json).data.map((m: Json) => m.id).sort();
  }

  async function workQueueIds(): Promise<string[]> {
    const ids: string[] = [];
    for (let msg = await channel.get(names.workQueue, { noAck: true }); msg; msg = await channel.get(names.workQueue, { noAck: true })) {
      ids.push(msg.properties.messageId as string);
    }
    return ids.sort();
  }

  const personal = { firstName: 'Grace', email: 'grace.hopper@example.com', phone: '+15550100' };

  it("never shows a tenant admin another tenant's message, nor one whose tenant cannot be read", async () => {
    const ofA = parkedEvent('contacts.contact.created.v1', 'boom A', adminA.tenant.id, personal);
    const ofB = parkedEvent('contacts.contact.created.v1', 'boom B', adminB.tenant.id, personal);
    const ofNobody = parkedEvent('contacts.contact.created.v1', 'no tenant');
    const notJson = { ...parkedEvent('contacts.contact.created.v1', 'not json'), content: Buffer.from('not json at all') };
    await park(ofA, ofB, ofNobody, notJson);

    const listedByA = (await (await ctx.get(parkedPath('contacts'), adminA.accessToken)).json()) as Json;
    expect(listedByA.data.map((m: Json) => m.id)).toEqual([ofA.id]);
    expect(listedByA.data[0]).toMatchObject({ id: ofA.id, tenantId: adminA.tenant.id, source: 'crm/contacts', subject: ofA.envelope.subject, error: 'boom A' });
    expect(JSON.stringify(listedByA)).not.toContain(personal.email);
    const listedByB = (await (await ctx.get(parkedPath('contacts'), adminB.accessToken)).json()) as Json;
    expect(listedByB.data.map((m: Json) => m.id)).toEqual([ofB.id]);

    // By id: its own with the body, another tenant's or an unreadable one is 404.
    const own = await ctx.get(`${parkedPath('contacts')}/${ofA.id}`, adminA.accessToken);
    expect(own.status).toBe(200);
    expect(JSON.parse(((await own.json()) as Json).body)).toEqual(ofA.envelope);
    await expectProblem(await ctx.get(`${parkedPath('contacts')}/${ofB.id}`, adminA.accessToken), 404);
    await expectProblem(await ctx.get(`${parkedPath('contacts')}/${ofNobody.id}`, adminA.accessToken), 404);
    await expectProblem(await ctx.get(`${parkedPath('contacts')}/${notJson.id}`, adminA.accessToken), 404);
  });

  it("never lets a tenant admin re-drive another tenant's message: by id nothing moves, all moves only its own", async () => {
    const ofA = parkedEvent('contacts.contact.created.v1', 'boom A', adminA.tenant.id, personal);
    const ofB = parkedEvent('contacts.contact.created.v1', 'boom B', adminB.tenant.id, personal);
    const ofNobody = parkedEvent('contacts.contact.created.v1', 'no tenant');
    await park(ofA, ofB, ofNobody);

    const byId = await ctx.post(`${parkedPath('contacts')}/redrive`, { ids: [ofB.id, ofNobody.id] }, adminA.accessToken);
    expect(await byId.json()).toEqual({ redriven: 0 });
    expect(await workQueueIds()).toEqual([]);
    expect(await parkedIds()).toEqual([ofA.id, ofB.id, ofNobody.id].sort());

    const all = await ctx.post(`${parkedPath('contacts')}/redrive`, {}, adminA.accessToken);
    expect(await all.json()).toEqual({ redriven: 1 });
    expect(await workQueueIds()).toEqual([ofA.id]);
    expect(await parkedIds()).toEqual([ofB.id, ofNobody.id].sort());
  });

  it('lets the operator list every tenant without bodies, read one by id with its body, and re-drive across tenants', async () => {
    const ofA = parkedEvent('contacts.contact.created.v1', 'boom A', adminA.tenant.id, personal);
    const ofB = parkedEvent('contacts.contact.updated.v1', 'boom B', adminB.tenant.id, personal);
    await park(ofA, ofB);

    const listed = await ctx.get(platformPath('contacts'), operatorToken);
    expect(listed.status).toBe(200);
    const { data } = (await listed.json()) as Json;
    expect(data).toEqual(
      expect.arrayContaining([
        {
          id: ofA.id,
          type: 'contacts.contact.created.v1',
          source: 'crm/contacts',
          tenantId: adminA.tenant.id,
          subject: ofA.envelope.subject,
          time: ofA.envelope.time,
          reason: 'retries-exhausted',
          error: 'boom A',
          retries: 5,
          parkedAt: expect.any(String),
        },
        expect.objectContaining({ id: ofB.id, tenantId: adminB.tenant.id, error: 'boom B' }),
      ]),
    );
    expect(data).toHaveLength(2);
    for (const message of data) expect(message.body).toBeUndefined();
    expect(JSON.stringify(data)).not.toContain(personal.email);
    expect(JSON.stringify(data)).not.toContain(personal.phone);

    const one = await ctx.get(`${platformPath('contacts')}/${ofB.id}`, operatorToken);
    expect(one.status).toBe(200);
    const detail = (await one.json()) as Json;
    expect(detail).toMatchObject({ id: ofB.id, tenantId: adminB.tenant.id });
    expect(JSON.parse(detail.body).data).toEqual(personal);
    await expectProblem(await ctx.get(`${platformPath('contacts')}/${randomUUID()}`, operatorToken), 404);

    const redriven = await ctx.post(`${platformPath('contacts')}/redrive`, { ids: [ofA.id, ofB.id] }, operatorToken);
    expect(await redriven.json()).toEqual({ redriven: 2 });
    expect(await workQueueIds()).toEqual([ofA.id, ofB.id].sort());
    expect(await parkedIds()).toEqual([]);
  });

  it('keeps the two doors apart: a tenant admin cannot use operator routes, an operator cannot use tenant routes', async () => {
    await expectProblem(await ctx.get(platformPath('contacts'), adminA.accessToken), 403);
    await expectProblem(await ctx.get(`${platformPath('contacts')}/${randomUUID()}`, adminA.accessToken), 403);
    await expectProblem(await ctx.post(`${platformPath('contacts')}/redrive`, {}, adminA.accessToken), 403);
    await expectProblem(await ctx.post('/api/v1/platform/auth/logout', undefined, adminA.accessToken), 403);

    await expectProblem(await ctx.get(parkedPath('contacts'), operatorToken), 403);
    await expectProblem(await ctx.post(`${parkedPath('contacts')}/redrive`, {}, operatorToken), 403);
    await expectProblem(await ctx.get('/api/v1/auth/me', operatorToken), 403);
    await expectProblem(await ctx.get('/api/v1/users', operatorToken), 403);
    await expectProblem(await ctx.get('/api/v1/contacts', operatorToken), 403);

    // A tenant user's password is not an operator's, and the reverse.
    await expectProblem(await ctx.post('/api/v1/platform/auth/login', { email: adminA.email, password: adminA.password }), 401);
    await expectProblem(await ctx.post('/api/v1/auth/login', { email: operator.email, password: operator.password }), 401);
  });

  it('offers no way to become an operator over HTTP: no route creates one, sign-up and user admin give tenant roles only', async () => {
    const routes = listControllerRoutes(ctx.app).map((r) => `${r.method} ${r.path}`);
    expect(routes.filter((r) => r.includes('/platform/'))).toEqual(
      expect.arrayContaining(['POST /api/v1/platform/auth/login', 'POST /api/v1/platform/auth/logout']),
    );
    expect(routes.filter((r) => r.includes('/platform/') && !r.startsWith('GET ')).sort()).toEqual(
      ['POST /api/v1/platform/auth/login', 'POST /api/v1/platform/auth/logout', 'POST /api/v1/platform/services/{service}/parked/redrive'].sort(),
    );
    await expectProblem(await ctx.post('/api/v1/platform/operators', { email: 'x@example.com', name: 'X', password: 'a long operator passphrase' }), 404);
    // The operator is not a role an admin can assign.
    const asRole = await ctx.post(
      '/api/v1/users',
      { email: `o-${randomUUID()}@example.com`, name: 'O', password: 'a long passphrase here', roles: ['platform-operator'] },
      adminA.accessToken,
    );
    await expectProblem(asRole, 400);
    const signedUp = await ctx.signup();
    const claims = JSON.parse(Buffer.from(signedUp.accessToken.split('.')[1], 'base64url').toString());
    expect(claims.operator).toBeUndefined();
    await expectProblem(await ctx.get(platformPath('contacts'), signedUp.accessToken), 403);
  });

  it('ends an operator session at logout', async () => {
    const login = await ctx.post('/api/v1/platform/auth/login', { email: operator.email, password: operator.password });
    const { accessToken, refreshToken } = (await login.json()) as Json;
    expect(refreshToken).toBeUndefined();
    const claims = JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString());
    expect(claims).toMatchObject({ operator: true, sub: expect.any(String) });
    expect(claims.tid).toBeUndefined();
    expect((await ctx.get(platformPath('contacts'), accessToken)).status).toBe(200);
    expect((await ctx.post('/api/v1/platform/auth/logout', undefined, accessToken)).status).toBe(204);
    await expectProblem(await ctx.get(platformPath('contacts'), accessToken), 401);
    expect((await ctx.get(platformPath('contacts'), operatorToken)).status).toBe(200);
  });

  it('creates operators with the command-line tool only, the password from the environment or stdin', async () => {
    const root = join(__dirname, '../../../../..');
    const run = (args: string[], env: Record<string, string>, input?: string) =>
      spawnSync(process.execPath, ['-r', '@swc-node/register', 'apps/api-gateway/src/platform/create-operator.cli.ts', ...args], {
        cwd: root,
        input: input ?? '',
        encoding: 'utf8',
        env: {
          ...process.env,
          SWC_NODE_PROJECT: 'apps/api-gateway/tsconfig.app.json',
          API_GATEWAY_DATABASE_URL: ctx.config.API_GATEWAY_DATABASE_URL,
          OPERATOR_PASSWORD: '',
          ...env,
        },
      });
    const email = `cli-${randomUUID()}@example.com`;
    const created = run(['--email', email, '--name', 'Cli Ops'], {}, 'a passphrase typed on stdin\n');
    expect({ status: created.status, stderr: created.stderr }).toEqual({ status: 0, stderr: '' });
    expect((await ctx.post('/api/v1/platform/auth/login', { email, password: 'a passphrase typed on stdin' })).status).toBe(200);
    // Again: refused, nothing changed.
    expect(run(['--email', email, '--name', 'Cli Ops'], { OPERATOR_PASSWORD: 'another long passphrase' }).status).toBe(1);
    expect((await ctx.post('/api/v1/platform/auth/login', { email, password: 'another long passphrase' })).status).toBe(401);
    // No password argument exists; a short password is refused.
    expect(run(['--email', `x-${email}`, '--name', 'X', '--password', 'a long passphrase here'], {}).status).toBe(1);
    expect(run(['--email', `y-${email}`, '--name', 'Y'], { OPERATOR_PASSWORD: 'short' }).status).toBe(1);
  }, 60_000);
});
