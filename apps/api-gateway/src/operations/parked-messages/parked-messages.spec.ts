import { declareEventTopology, MESSAGE_HEADERS, resolveOptions, TopologyNames } from '@crm/messaging';
import { testBusPrefix } from '@crm/testing';
import * as amqp from 'amqplib';
import { randomUUID } from 'node:crypto';
import { expectProblem, GatewayTestContext, Json, SignedUp } from '../../testing/gateway-test-app';

const parkedPath = (service: string) => `/api/v1/operations/services/${service}/parked`;

/** A message as the library parks it: a copy of the event with the reason, the error and the retries in headers. */
function parkedEvent(type: string, error: string) {
  const id = randomUUID();
  return {
    id,
    content: Buffer.from(JSON.stringify({ specversion: '1.0', id, type, source: 'test', data: {} })),
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
    if (connection) await deleteBusNames(connection, prefix);
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
    const first = parkedEvent('contacts.contact.created.v1', 'database said no');
    const second = parkedEvent('contacts.contact.updated.v1', 'timeout talking to x');
    const third = parkedEvent('contacts.contact.deleted.v1', 'boom');
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
    const message = parkedEvent('analytics.thing.happened.v1', 'nope');
    channel.sendToQueue(analyticsParking, message.content, message.options);
    await channel.waitForConfirms();

    await expectProblem(await ctx.post(`${parkedPath('analytics')}/redrive`, {}, admin.accessToken), 409);
    expect((await channel.checkQueue(analyticsParking)).messageCount).toBe(1);
  });

  it('is for admins only: a viewer gets 403 on both routes', async () => {
    await expectProblem(await ctx.get(parkedPath('contacts'), viewerToken), 403);
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

/** Every queue and the exchange this test or the gateway may have declared under the prefix. */
async function deleteBusNames(connection: amqp.ChannelModel, prefix: string): Promise<void> {
  const queues = ['contacts', 'analytics', 'api-gateway'].flatMap((service) => {
    const names = new TopologyNames(resolveOptions({ service, url: '', namePrefix: prefix }));
    return [names.workQueue, names.parkingQueue, names.rpcQueue, ...names.retryQueues.map((q) => q.queue)];
  });
  try {
    // A channel per deletion: a failed one closes its channel, not the cleanup.
    for (const queue of queues) {
      const channel = await connection.createChannel();
      await channel.deleteQueue(queue).catch(() => undefined);
      await channel.close().catch(() => undefined);
    }
    const channel = await connection.createChannel();
    await channel.deleteExchange(`${prefix}crm.events`).catch(() => undefined);
    await channel.close().catch(() => undefined);
  } finally {
    await connection.close().catch(() => undefined);
  }
}
