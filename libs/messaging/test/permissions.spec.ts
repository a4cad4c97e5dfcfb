import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import * as amqplib from 'amqplib';
import { testToken, workspaceRoot } from '@crm/testing';
import { ParkingLot, RpcClient, TopologyNames } from '../src';
import { countRows, waitFor } from './lab/delivery-report';
import { LAB_CONSUMER, LAB_PUBLISHER, LabWorld, newLabWorld } from './lab/fixture';
import { itemCreated, itemPoisoned, labEcho } from './lab/lab.contracts';
import { LabPublisher } from './lab/lab.handlers';
import { labEnvelope, sendRaw } from './lab/raw-events';

const GATEWAY = 'gateway';
const SERVICES = ['contacts', 'analytics', 'sales-automation', LAB_PUBLISHER, LAB_CONSUMER];

/**
 * The bus with one broker user per service, created by tools/bus-users.sh (the script local runs
 * and CI use) under this test's own name prefix: the broker itself refuses what a service may
 * not do, and the consumer parks what the broker cannot tell.
 */
describe('per-service broker users (real RabbitMQ permissions)', () => {
  let world: LabWorld;
  let env: Record<string, string>;
  const urlOf = (service: string) => {
    const url = new URL(world.env.rabbitmqUrl);
    url.username = encodeURIComponent(`${world.prefix}${service}`);
    url.password = `dev-${service}`;
    return url.toString();
  };

  beforeAll(async () => {
    world = await newLabWorld();
    env = { BUS_NAME_PREFIX: world.prefix, BUS_USER_PREFIX: world.prefix, BUS_SERVICES: SERVICES.join(' '), BUS_GATEWAYS: GATEWAY };
    await promisify(execFile)('bash', ['tools/bus-users.sh'], { cwd: workspaceRoot(), env: { ...process.env, ...env }, timeout: 170_000 });
  }, 180_000);

  afterAll(async () => {
    await world?.close();
    await promisify(execFile)('bash', ['tools/bus-users.sh', 'delete'], { cwd: workspaceRoot(), env: { ...process.env, ...env } }).catch(() => undefined);
  }, 180_000);

  /** Runs `fn` on a confirm channel of `service`'s user; resolves with the broker's refusal, or 'accepted'. */
  async function attempt(service: string, fn: (channel: amqplib.ConfirmChannel) => void): Promise<string> {
    const connection = await amqplib.connect(urlOf(service));
    try {
      const channel = await connection.createConfirmChannel();
      const closed = new Promise<string>((resolve) => channel.once('error', (error: Error) => resolve(error.message)));
      fn(channel);
      return await Promise.race([
        closed,
        channel.waitForConfirms().then(
          () => 'accepted',
          () => closed,
        ),
      ]);
    } finally {
      await connection.close().catch(() => undefined);
    }
  }

  const events = () => `${world.prefix}crm.events`;
  const requests = () => `${world.prefix}crm.requests`;
  const requestsByService = () => `${world.prefix}crm.requests.by-service`;
  const body = Buffer.from('{}');

  it('lets a service publish its own events only', async () => {
    // The shared exchanges exist once any service has started; declared here for this test alone.
    const admin = await amqplib.connect(world.env.rabbitmqUrl);
    const channel = await admin.createChannel();
    await channel.assertExchange(events(), 'topic', { durable: true });
    await channel.assertExchange(requests(), 'topic', { durable: true });
    await channel.assertExchange(requestsByService(), 'direct', { durable: true });
    await admin.close();

    await expect(attempt('contacts', (c) => c.publish(events(), 'contacts.contact.created.v1', body))).resolves.toBe('accepted');
    await expect(attempt('analytics', (c) => c.publish(events(), 'analytics.summary.rebuilt.v1', body))).resolves.toBe('accepted');
    await expect(attempt('analytics', (c) => c.publish(events(), 'contacts.contact.created.v1', body))).resolves.toMatch(
      /ACCESS_REFUSED.*contacts\.contact\.created\.v1/,
    );
  });

  it("does not let a service write to another service's request queue, by any route", async () => {
    await expect(attempt('analytics', (c) => c.publish(requests(), 'contacts.contact.get.v1', body))).resolves.toMatch(/ACCESS_REFUSED/);
    await expect(attempt('analytics', (c) => c.sendToQueue(`${world.prefix}contacts.rpc`, body))).resolves.toMatch(/ACCESS_REFUSED.*amq\.default/);
    await expect(attempt(GATEWAY, (c) => c.publish(requests(), 'contacts.contact.get.v1', body))).resolves.toBe('accepted');
    // Routed by service, a request escapes topic permissions: only gateways may write there, not
    // even a service that may send some requests on the topic exchange.
    await expect(attempt('analytics', (c) => c.publish(requestsByService(), 'contacts', body))).resolves.toMatch(/ACCESS_REFUSED.*by-service/);
    await expect(attempt('sales-automation', (c) => c.publish(requests(), 'contacts.contact.create.v1', body))).resolves.toBe('accepted');
    await expect(attempt('sales-automation', (c) => c.publish(requestsByService(), 'contacts', body))).resolves.toMatch(/ACCESS_REFUSED.*by-service/);
    await expect(attempt(GATEWAY, (c) => c.publish(requestsByService(), 'contacts', body))).resolves.toBe('accepted');
    // Not even a gateway writes to the default exchange: it reaches every queue.
    await expect(attempt(GATEWAY, (c) => c.sendToQueue(`${world.prefix}contacts.rpc`, body))).resolves.toMatch(/ACCESS_REFUSED.*amq\.default/);
  });

  it('gives every parking queue a delivery limit far above the 20 RabbitMQ 4.x would apply, by policy', async () => {
    // Listing parked messages returns them to the queue, and each return counts as a delivery.
    const parked = `${world.prefix}contacts.events.parked`;
    const admin = await amqplib.connect(world.env.rabbitmqUrl);
    const channel = await admin.createChannel();
    await channel.assertQueue(parked, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    try {
      const rabbitmqctl = async (...args: string[]) => JSON.parse((await promisify(execFile)('rabbitmqctl', ['-q', ...args, '--formatter', 'json'])).stdout);
      // RabbitMQ 3.10 lists a queue's policy by name only: the limit comes from the policy itself.
      const limitOf = async () => {
        const queues = (await rabbitmqctl('list_queues', 'name', 'policy')) as { name: string; policy: string }[];
        const policyName = queues.find((q) => q.name === parked)?.policy;
        const policies = (await rabbitmqctl('list_policies')) as { name: string; definition: string | Record<string, unknown> }[];
        const definition = policies.find((p) => p.name === policyName)?.definition;
        return (typeof definition === 'string' ? JSON.parse(definition) : definition)?.['delivery-limit'];
      };
      await waitFor('the policy on the parking queue', async () => (await limitOf()) !== undefined, 10_000);
      expect(await limitOf()).toBe(1_000_000);
    } finally {
      await channel.deleteQueue(parked).catch(() => undefined);
      await admin.close();
    }
  });

  it('would need the default exchange to reply through direct reply-to: why replies have an exchange of their own', async () => {
    await expect(attempt('contacts', (c) => c.publish('', 'amq.rabbitmq.reply-to.anything', body))).resolves.toMatch(/ACCESS_REFUSED.*amq\.default/);
  });

  it('does not let a service claim another broker user as publisher (AMQP user-id)', async () => {
    const forged = { userId: `${world.prefix}contacts` };
    await expect(attempt('analytics', (c) => c.publish(events(), 'analytics.summary.rebuilt.v1', body, forged))).resolves.toMatch(
      /PRECONDITION_FAILED.*user_id/,
    );
  });

  it('keeps the whole flow working with these users: events, retries, parking, requests and replies', async () => {
    const messaging = { brokerUserPrefix: world.prefix };
    const consumer = await world.consumer({ amqpUrl: urlOf(LAB_CONSUMER), retryDelaysMs: [200], messaging });
    const publisher = await world.publisher({ amqpUrl: urlOf(LAB_PUBLISHER), messaging });
    // A gateway: sends requests; its relay stays off (the lab's outbox table is the publisher's).
    const gateway = await world.publisher({
      service: GATEWAY,
      amqpUrl: urlOf(GATEWAY),
      messaging: { ...messaging, relay: { enabled: false }, rpc: { routeByService: true } },
    });

    await publisher.get(LabPublisher).publishItems(1, 1, 1, itemPoisoned);
    await publisher.get(LabPublisher).publishItems(100, 20, 4);
    await waitFor('events applied', async () => (await countRows(world.consumerDb, 'SELECT count(*)::int AS n FROM lab_effect')) === 20);
    const parking = consumer.get(ParkingLot);
    await waitFor('poisoned event retried, then parked', async () => (await parking.count()) === 1);
    expect((await parking.list())[0]).toMatchObject({ type: itemPoisoned.name, reason: 'retries-exhausted', retries: 1 });
    // The operator console re-drives it as the gateway's user (through the service's redelivery
    // exchange); the consumer still trusts the copy (its publisher travels in the header), so
    // it fails on its merits again and is parked again for the same reason, not as untrusted.
    const parkedAgainSince = async (since: string) => {
      const [message] = await parking.list();
      return (await parking.count()) === 1 && (message?.parkedAt ?? '') > since && message?.reason === 'retries-exhausted';
    };
    const redrivenAt = new Date().toISOString();
    await expect(gateway.get(ParkingLot).forService(LAB_CONSUMER).redrive()).resolves.toEqual({ redriven: 1 });
    await waitFor('re-driven event retried, then parked again', () => parkedAgainSince(redrivenAt));
    // The service re-drives its own parked messages under its own user too.
    const redrivenAgainAt = new Date().toISOString();
    await expect(parking.redrive()).resolves.toEqual({ redriven: 1 });
    await waitFor('parked a third time', () => parkedAgainSince(redrivenAgainAt));

    const token = testToken({ tenantId: randomUUID(), userId: randomUUID(), roles: ['viewer'] });
    await expect(gateway.get(RpcClient).call(labEcho, { payload: 'through the gateway' }, { token })).resolves.toEqual({
      payload: 'through the gateway',
      service: LAB_CONSUMER,
    });
  });

  it("parks an event of the publisher's own type whose envelope names another source, or that carries no user-id", async () => {
    const consumer = await world.consumer({ amqpUrl: urlOf(LAB_CONSUMER), messaging: { brokerUserPrefix: world.prefix } });
    const names = consumer.get(TopologyNames);
    const parking = consumer.get(ParkingLot);
    const before = await parking.count();
    const target = { exchange: names.exchange, routingKey: itemCreated.name };
    const asPublisher = urlOf(LAB_PUBLISHER);
    await sendRaw(asPublisher, target, [{ ...labEnvelope(itemCreated.name, { itemId: 900 }), source: 'crm/contacts' }]);
    await sendRaw(asPublisher, target, [labEnvelope(itemCreated.name, { itemId: 901 })], null);
    await waitFor('both parked', async () => (await parking.count()) === before + 2);
    const reasons = (await parking.list()).filter((m) => m.reason === 'untrusted-source');
    expect(reasons).toHaveLength(2);
    expect(await countRows(world.consumerDb, 'SELECT count(*)::int AS n FROM lab_effect WHERE item_id >= 900')).toBe(0);
  });
});
