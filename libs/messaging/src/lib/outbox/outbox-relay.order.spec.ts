import { TransactionHost } from '@nestjs-cls/transactional';
import type { EventEnvelope } from '@crm/contracts';
import { itemCreated } from '../../../test/lab/lab.contracts';
import { countRows } from '../../../test/lab/delivery-report';
import { withRawChannel } from '../../../test/lab/broker';
import { newLabWorld, LabWorld } from '../../../test/lab/fixture';
import type { INestApplicationContext } from '@nestjs/common';
import type { Socket } from 'node:net';
import { AmqpConnections } from '../amqp/amqp-connections';
import { TopologyNames } from '../amqp/topology';
import { EventPublisher } from './event-publisher';
import { OutboxRelay } from './outbox-relay';

/**
 * Consumers of one queue get a service's events in commit (seq) order. Seqs here cross 99→100
 * and 999→1000 on purpose: the relay once sorted them as text, and a batch of 51..100 left
 * with 100 first.
 */
describe('outbox relay: order of arrival on one queue', () => {
  let world: LabWorld;
  afterEach(() => world?.close());

  const items = (from: number, length: number) =>
    Array.from({ length }, (_, i) => ({ data: { itemId: from + i }, meta: { tenantId: 'lab', subject: `item-${from + i}`, entityVersion: 1 } }));

  /** A queue bound to the lab's events, read with basic.get: arrival order, nothing in between. */
  async function bindProbe(names: TopologyNames, name: string): Promise<string> {
    const probe = `${world.prefix}${name}`;
    await withRawChannel(world.env.rabbitmqUrl, async (channel) => {
      await channel.assertQueue(probe, { durable: false, autoDelete: false });
      await channel.bindQueue(probe, names.exchange, itemCreated.name);
    });
    return probe;
  }

  async function arrivedEventIds(probe: string): Promise<string[]> {
    return withRawChannel(world.env.rabbitmqUrl, async (channel) => {
      const ids: string[] = [];
      for (let msg = await channel.get(probe, { noAck: true }); msg; msg = await channel.get(probe, { noAck: true })) {
        ids.push((JSON.parse(msg.content.toString()) as EventEnvelope).id);
      }
      await channel.deleteQueue(probe);
      return ids;
    });
  }

  it('a batch of 250 events published in one transaction arrives in the order it was published', async () => {
    world = await newLabWorld();
    const app = await world.publisher();
    const probe = await bindProbe(app.get(TopologyNames), 'probe-order-batch');
    const events = app.get(EventPublisher);
    const txHost = app.get(TransactionHost);

    // A rolled-back batch uses up seqs 1..50, so the committed one is numbered 51..300.
    await txHost
      .withTransaction(async () => {
        await events.publishMany(itemCreated, items(1, 50));
        throw new Error('business rule failed after publishing');
      })
      .catch(() => undefined);
    const envelopes = await txHost.withTransaction(() => events.publishMany(itemCreated, items(1001, 250)));
    await app.get(OutboxRelay).flush();

    expect(await countRows(world.publisherDb, 'SELECT count(*)::int AS n FROM outbox_message WHERE sent_at IS NULL')).toBe(0);
    expect(await arrivedEventIds(probe)).toEqual(envelopes.map((e) => e.id));
  });

  it('transactions committed one after another arrive in commit order, across several relay batches', async () => {
    world = await newLabWorld();
    // Small relay batches: the 1,365 rows leave in 14 batches, some split mid-transaction.
    const app = await world.publisher({ messaging: { relay: { pollIntervalMs: 200, confirmTimeoutMs: 3_000, batchSize: 100 } } });
    const probe = await bindProbe(app.get(TopologyNames), 'probe-order-commits');
    const events = app.get(EventPublisher);
    const txHost = app.get(TransactionHost);

    const committed: EventEnvelope[] = [];
    for (let t = 0; t < 7; t++) {
      const batch = items(10_000 * (t + 1), 60 + t * 45);
      committed.push(...(await txHost.withTransaction(() => events.publishMany(itemCreated, batch))));
    }
    await app.get(OutboxRelay).flush();

    expect(committed).toHaveLength(1_365);
    expect(await arrivedEventIds(probe)).toEqual(committed.map((e) => e.id));
  });

  it('commit order survives the publishing connection closing in the middle of a relay batch', async () => {
    world = await newLabWorld();
    let closes = 0;
    let batchesSeen = 0;
    // The third batch loses its connection halfway: the first half is on its way (given time to
    // reach the broker), the rest is not published yet. Only this process's own connection.
    const relayMidBatch = async () => {
      if (++batchesSeen !== 3) return;
      closes++;
      await new Promise((resolve) => setTimeout(resolve, 100));
      const socket = (app.get(AmqpConnections).publisher.connection as unknown as { connection: { stream: Socket } }).connection.stream;
      socket.destroy();
    };
    const app: INestApplicationContext = await world.publisher({
      faults: { relayMidBatch },
      messaging: { relay: { pollIntervalMs: 200, confirmTimeoutMs: 3_000, batchSize: 100 } },
    });
    const probe = await bindProbe(app.get(TopologyNames), 'probe-order-reconnect');
    const events = app.get(EventPublisher);
    const txHost = app.get(TransactionHost);
    // Nothing leaves until every transaction is in: the batches are then full ones, in seq order.
    await app.get(OutboxRelay).stop();

    const committed: EventEnvelope[] = [];
    for (let t = 0; t < 5; t++) {
      committed.push(...(await txHost.withTransaction(() => events.publishMany(itemCreated, items(10_000 * (t + 1), 80 + t * 20)))));
    }
    app.get(OutboxRelay).start();
    await app.get(OutboxRelay).flush(20_000);

    const arrived = await arrivedEventIds(probe);
    const firstArrivals = [...new Set(arrived)];
    expect(closes).toBe(1);
    expect(await countRows(world.publisherDb, 'SELECT count(*)::int AS n FROM outbox_message WHERE sent_at IS NULL')).toBe(0);
    // Redelivered copies are allowed (the inboxes absorb them); a later event before an earlier one is not.
    expect(firstArrivals).toEqual(committed.map((e) => e.id));
  });
});
