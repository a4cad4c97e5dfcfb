import { REDIS, type RedisClient } from '@crm/observability';
import { testBusPrefix, testEnv, TestService } from '@crm/testing';
import * as amqp from 'amqplib';
import { randomUUID } from 'node:crypto';
import { startContactsService } from '../../testing/contacts-service';
import { GatewayTestContext, Json, SignedUp } from '../../testing/gateway-test-app';
import { recordKeyOf } from './idempotency-key';

jest.setTimeout(120_000);

/**
 * Erasure reaches the gateway's Redis: a response stored for Idempotency-Key replay that holds an
 * erased contact is deleted when contacts.contact.erased.v1 arrives (from the real contacts service).
 */
describe('Idempotency-Key records of an erased contact', () => {
  const prefix = testBusPrefix();
  let ctx: GatewayTestContext;
  let contacts: TestService;
  let redis: RedisClient;
  let admin: SignedUp;

  beforeAll(async () => {
    ctx = await GatewayTestContext.start({ BUS_NAME_PREFIX: prefix, GATEWAY_IDEMPOTENCY_TTL_MS: '600000', GATEWAY_RPC_TIMEOUT_MS: '20000' });
    contacts = await startContactsService(prefix);
    redis = ctx.app.get<RedisClient>(REDIS);
    admin = await ctx.signup();
  });

  afterAll(async () => {
    await contacts?.close();
    await ctx?.close();
    await deleteBusNames((await testEnv()).rabbitmqUrl, prefix);
  });

  const recordKey = (method: string, url: string, key: string) =>
    recordKeyOf(ctx.config.AUTH_REDIS_PREFIX, `tenant:${admin.tenant.id}:user:${admin.user.id}`, method, url, key);

  async function create(firstName: string, key: string): Promise<Json> {
    const response = await ctx.post('/api/v1/contacts', { firstName, emails: [{ address: `${firstName.toLowerCase()}@example.com` }] }, admin.accessToken, {
      'idempotency-key': key,
    });
    expect(response.status).toBe(201);
    return response.json();
  }

  /** A bounded wait for the event to go through the bus (not a timed assertion). */
  async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('deletes the stored responses that hold the contact (create, update, its interactions) and keeps the others', async () => {
    const jane = await create('Jane', 'create-jane');
    const other = await create('Otto', 'create-otto');
    const patched = await ctx.patch(`/api/v1/contacts/${jane.id}`, { title: 'CTO' }, admin.accessToken, { 'idempotency-key': 'patch-jane' });
    expect(patched.status).toBe(200);
    const logged = await ctx.post(
      `/api/v1/contacts/${jane.id}/interactions`,
      { channel: 'note', body: 'Jane prefers calls' },
      admin.accessToken,
      { 'idempotency-key': 'note-jane' },
    );
    expect(logged.status).toBe(201);

    const janeRecords = [
      recordKey('POST', '/api/v1/contacts', 'create-jane'),
      recordKey('PATCH', `/api/v1/contacts/${jane.id}`, 'patch-jane'),
      recordKey('POST', `/api/v1/contacts/${jane.id}/interactions`, 'note-jane'),
    ];
    const ottoRecord = recordKey('POST', '/api/v1/contacts', 'create-otto');
    expect(await redis.exists(janeRecords)).toBe(3);
    expect(await redis.get(janeRecords[0])).toContain('jane@example.com');

    const erased = await ctx.post(`/api/v1/contacts/${jane.id}/erase`, {}, admin.accessToken);
    expect(erased.status).toBe(200);

    await until(async () => (await redis.exists(janeRecords)) === 0, "the erased contact's records to go");
    expect(await redis.exists(ottoRecord)).toBe(1);
    expect(other.id).not.toBe(jane.id);
    // The create can no longer be replayed: the same key runs again (a new contact).
    const again = await ctx.post('/api/v1/contacts', { firstName: 'Jane', emails: [{ address: 'jane@example.com' }] }, admin.accessToken, {
      'idempotency-key': 'create-jane',
    });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBeNull();
    expect(((await again.json()) as Json).id).not.toBe(jane.id);
  });

  it('also deletes a stored merge (indexed under the survivor and the duplicate) when the survivor is erased', async () => {
    const survivor = await create('Sam', `create-${randomUUID()}`);
    const duplicate = await create('Samuel', `create-${randomUUID()}`);
    const merged = await ctx.post(`/api/v1/contacts/${survivor.id}/merge`, { mergedId: duplicate.id }, admin.accessToken, { 'idempotency-key': 'merge-sam' });
    expect(merged.status).toBe(200);
    const mergeRecord = recordKey('POST', `/api/v1/contacts/${survivor.id}/merge`, 'merge-sam');
    expect(await redis.exists(mergeRecord)).toBe(1);

    // Erasing the survivor (contacts also erases the duplicate and says so for each).
    expect((await ctx.post(`/api/v1/contacts/${survivor.id}/erase`, {}, admin.accessToken)).status).toBe(200);
    await until(async () => (await redis.exists(mergeRecord)) === 0, 'the merge record to go');
  });
});

/** Deletes every queue and the exchange this test's services may declare under its prefix. */
async function deleteBusNames(url: string, prefix: string): Promise<void> {
  const services = ['contacts', 'analytics', 'api-gateway'];
  const retryDelays = [1_000, 5_000, 30_000, 120_000, 600_000];
  const queues = services.flatMap((s) => [
    `${prefix}${s}.rpc`,
    `${prefix}${s}.events`,
    `${prefix}${s}.events.parked`,
    ...retryDelays.map((ms) => `${prefix}${s}.events.retry.${ms}ms`),
  ]);
  const connection = await amqp.connect(url);
  try {
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
