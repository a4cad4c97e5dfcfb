import { randomUUID } from 'node:crypto';
import * as amqp from 'amqplib';
import { contactErased, createContact, eraseContact, EventEnvelope, logInteraction, mergeContacts, updateContact } from '@crm/contracts';
import { REDIS, type RedisClient } from '@crm/observability';
import { deleteTestBus, startTestResponder, testBusPrefix } from '@crm/testing';
import { contactRecord } from '../../testing/contact-records';
import { GatewayTestContext, Json, SignedUp } from '../../testing/gateway-test-app';
import { recordKeyOf } from './idempotency-key';

/**
 * Erasure reaches the gateway's Redis: a response stored for Idempotency-Key replay that holds an
 * erased contact is deleted when contacts.contact.erased.v1 arrives. The contacts service is a
 * stand-in that answers the routes and, on erase, publishes the event as the service's outbox
 * does: for the contact and every contact merged into it.
 */
describe('Idempotency-Key records of an erased contact', () => {
  const prefix = testBusPrefix();
  let ctx: GatewayTestContext;
  let contacts: { close(): Promise<void> };
  let connection: amqp.ChannelModel;
  let events: amqp.ConfirmChannel;
  let redis: RedisClient;
  let admin: SignedUp;
  /** Survivor -> the contacts merged into it, as the contacts service keeps them. */
  const mergedInto = new Map<string, string[]>();

  /** Publishes contacts.contact.erased.v1 as the contacts service does (its broker user: the tests' shared one). */
  async function publishErased(tenantId: string, contactId: string): Promise<void> {
    const envelope: EventEnvelope = {
      specversion: '1.0',
      id: randomUUID(),
      source: 'crm/contacts',
      type: contactErased.name,
      time: new Date().toISOString(),
      subject: contactId,
      datacontenttype: 'application/json',
      tenantid: tenantId,
      data: { contactId, erasedAt: new Date().toISOString() },
    };
    const userId = decodeURIComponent(new URL(ctx.config.RABBITMQ_URL).username) || 'guest';
    events.publish(`${prefix}crm.events`, envelope.type, Buffer.from(JSON.stringify(envelope)), {
      persistent: true,
      userId,
      messageId: envelope.id,
      type: envelope.type,
      contentType: 'application/cloudevents+json',
    });
    await events.waitForConfirms();
  }

  beforeAll(async () => {
    ctx = await GatewayTestContext.start({ BUS_NAME_PREFIX: prefix, GATEWAY_IDEMPOTENCY_TTL_MS: '600000' });
    connection = await amqp.connect(ctx.config.RABBITMQ_URL);
    events = await connection.createConfirmChannel();
    contacts = await startTestResponder({
      service: 'contacts',
      busPrefix: prefix,
      handlers: {
        [createContact.name]: (request) => contactRecord((request as { contact: Json }).contact),
        [updateContact.name]: (request) => contactRecord({ id: (request as { id: string }).id, version: 2, ...(request as { patch: Json }).patch }),
        [logInteraction.name]: (request, { actor }) => {
          const { contactId, interaction } = request as { contactId: string; interaction: Json };
          const now = new Date().toISOString();
          return {
            id: randomUUID(),
            contactId,
            direction: null,
            subject: null,
            body: null,
            ...interaction,
            occurredAt: now,
            loggedBy: actor.userId,
            createdAt: now,
          };
        },
        [mergeContacts.name]: (request) => {
          const { id, mergedId } = request as { id: string; mergedId: string };
          mergedInto.set(id, [...(mergedInto.get(id) ?? []), mergedId]);
          return contactRecord({ id, version: 2 });
        },
        [eraseContact.name]: async (request, { actor }) => {
          const { id } = request as { id: string };
          for (const erased of [id, ...(mergedInto.get(id) ?? [])]) await publishErased(actor.tenantId, erased);
          return { id, erasedAt: new Date().toISOString() };
        },
      },
    });
    redis = ctx.app.get<RedisClient>(REDIS);
    admin = await ctx.signup();
  });

  afterAll(async () => {
    await contacts?.close();
    await connection?.close().catch(() => undefined);
    await ctx?.close();
    await deleteTestBus(prefix);
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
    const logged = await ctx.post(`/api/v1/contacts/${jane.id}/interactions`, { channel: 'note', body: 'Jane prefers calls' }, admin.accessToken, {
      'idempotency-key': 'note-jane',
    });
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
