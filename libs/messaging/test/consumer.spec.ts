import { metricValue } from './lab/metric';
import { ParkingLot, TopologyNames } from '../src';
import { queueCounts } from './lab/broker';
import { itemCreated, itemPoisoned } from './lab/lab.contracts';
import { LAB_CONTROL, LabControl, LabPublisher } from './lab/lab.handlers';
import { countRows, deliveryReport, waitFor } from './lab/delivery-report';
import { labEnvelope, sendRaw } from './lab/raw-events';
import { LAB_CONSUMER, LabWorld, newLabWorld } from './lab/fixture';

describe('idempotent consumer', () => {
  let world: LabWorld;
  afterEach(() => world?.close());

  // Both transaction adapters the services run on: Prisma's (analytics) and pg's (the others).
  it.each(['prisma', 'pg'] as const)(
    'applies an event delivered many times, concurrently to two instances, exactly once (%s transactions)',
    async (transactions) => {
      world = await newLabWorld();
      const first = await world.consumer({ instance: 'a', transactions });
      await world.consumer({ instance: 'b', transactions });
      const names = first.get(TopologyNames);
      const envelope = labEnvelope(itemCreated.name, { itemId: 7 });
      await sendRaw(world.env.rabbitmqUrl, { exchange: names.exchange, routingKey: itemCreated.name }, Array(40).fill(envelope));

      await waitFor('all 40 deliveries handled', async () => {
        const { messages } = await queueCounts(world.env.rabbitmqUrl, names.workQueue);
        return messages === 0;
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await countRows(world.consumerDb, 'SELECT count(*)::int AS n FROM inbox_message')).toBe(1);
      expect(await countRows(world.consumerDb, 'SELECT count(*)::int AS n FROM lab_effect')).toBe(1);
    },
  );

  it('retries a failing handler with growing delays, parks it with its error, keeps others flowing, and re-drives it once fixed', async () => {
    world = await newLabWorld();
    const publisherApp = await world.publisher();
    const consumerApp = await world.consumer({ retryDelaysMs: [200, 600, 1200] });
    const publisher = publisherApp.get(LabPublisher);
    const started = Date.now();
    await publisher.publishItems(1, 1, 1, itemPoisoned);
    await publisher.publishItems(100, 50, 4);

    // The healthy events are applied while the poisoned one waits in the retry queues.
    await waitFor('healthy events applied', async () => (await countRows(world.consumerDb, 'SELECT count(*)::int AS n FROM lab_effect')) === 50);
    expect(Date.now() - started).toBeLessThan(2_000 + 600 + 1200);

    const parking = consumerApp.get(ParkingLot);
    await waitFor('poisoned event parked', async () => (await parking.count()) === 1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200 + 600 + 1200);
    const [parked] = await parking.list();
    expect(parked).toMatchObject({ type: itemPoisoned.name, reason: 'retries-exhausted', retries: 3 });
    expect(parked.error).toContain('downstream rejects item 1');
    expect(await parking.count()).toBe(1); // listing does not remove

    consumerApp.get<LabControl>(LAB_CONTROL).poisonFailing = false;
    await expect(parking.redrive([parked.id])).resolves.toEqual({ redriven: 1 });
    await waitFor(
      're-driven event applied',
      async () => (await countRows(world.consumerDb, 'SELECT count(*)::int AS n FROM lab_effect WHERE item_id = 1')) === 1,
    );
    expect(await parking.count()).toBe(0);
    const report = await deliveryReport(world.publisherDb, world.consumerDb, LAB_CONSUMER);
    expect(report).toMatchObject({ committed: 51, lost: 0, unexpected: 0, appliedMoreThanOnce: 0, effects: 51 });
  });

  it.each(['prisma', 'pg'] as const)(
    'applies a backlog in batches; a batch with a failing message is applied again one message at a time (%s transactions)',
    async (transactions) => {
      world = await newLabWorld();
      // Started once to declare its queues, then stopped: the backlog waits for the next start.
      const declaring = await world.consumer({ transactions });
      const names = declaring.get(TopologyNames);
      await declaring.close();
      const items = Array.from({ length: 59 }, (_, i) => labEnvelope(itemCreated.name, { itemId: 1_000 + i }));
      const poisoned = labEnvelope(itemPoisoned.name, { itemId: 1 });
      const send = (routingKey: string, bodies: object[]) => sendRaw(world.env.rabbitmqUrl, { exchange: names.exchange, routingKey }, bodies);
      await send(itemCreated.name, items.slice(0, 10));
      await send(itemPoisoned.name, [poisoned]);
      await send(itemCreated.name, items.slice(10));

      const consumerApp = await world.consumer({ retryDelaysMs: [200], messaging: { batchSize: 32, prefetch: 64 }, transactions });
      const parking = consumerApp.get(ParkingLot);
      await waitFor('healthy events applied', async () => (await countRows(world.consumerDb, 'SELECT count(*)::int AS n FROM lab_effect')) === 59);
      await waitFor('poisoned event parked', async () => (await parking.count()) === 1);

      const [parked] = await parking.list();
      expect(parked).toMatchObject({ type: itemPoisoned.name, reason: 'retries-exhausted', retries: 1 });
      // The poisoned message's batch ran its healthy handlers, rolled back, and ran them again one by one...
      expect(consumerApp.get<LabControl>(LAB_CONTROL).handled).toBeGreaterThan(59);
      // ...and each of them took effect once.
      expect(await countRows(world.consumerDb, 'SELECT count(DISTINCT event_id)::int AS n FROM lab_effect')).toBe(59);
      expect(await countRows(world.consumerDb, 'SELECT count(*)::int AS n FROM inbox_message')).toBe(59);
    },
  );

  it('a write a handler left for the COMMIT (withCommit) that fails there is its message\'s failure: retried, parked; the rest of its batch applied once', async () => {
    world = await newLabWorld();
    const declaring = await world.consumer({ transactions: 'pg' });
    const names = declaring.get(TopologyNames);
    await declaring.close();
    // lab_effect.item_id is a 32-bit integer: the handler's insert for 3,000,000,000 fails, at the commit.
    const items = Array.from({ length: 20 }, (_, i) => labEnvelope(itemCreated.name, { itemId: i === 7 ? 3_000_000_000 : 2_000 + i }));
    await sendRaw(world.env.rabbitmqUrl, { exchange: names.exchange, routingKey: itemCreated.name }, items);

    const consumerApp = await world.consumer({ retryDelaysMs: [200], messaging: { batchSize: 32, prefetch: 64 }, transactions: 'pg' });
    const parking = consumerApp.get(ParkingLot);
    await waitFor('healthy events applied', async () => (await countRows(world.consumerDb, 'SELECT count(*)::int AS n FROM lab_effect')) === 19);
    await waitFor('the failing one parked', async () => (await parking.count()) === 1);

    const [parked] = await parking.list();
    expect(parked).toMatchObject({ type: itemCreated.name, reason: 'retries-exhausted', retries: 1 });
    expect(parked.error).toContain('out of range');
    expect(await countRows(world.consumerDb, 'SELECT count(DISTINCT event_id)::int AS n FROM lab_effect')).toBe(19);
    // Its inbox row went with the rolled-back transaction: a re-drive applies it.
    expect(await countRows(world.consumerDb, 'SELECT count(*)::int AS n FROM inbox_message')).toBe(19);
  });

  it('parks malformed messages at once and goes on consuming', async () => {
    world = await newLabWorld();
    const consumerApp = await world.consumer();
    const names = consumerApp.get(TopologyNames);
    const parking = consumerApp.get(ParkingLot);
    const good = labEnvelope(itemCreated.name, { itemId: 1 });
    const retriedBefore = await metricValue('crm_messages_retried_total', { service: LAB_CONSUMER });
    await sendRaw(world.env.rabbitmqUrl, { queue: names.workQueue }, [
      '{"this is": not json',
      labEnvelope('lab.item.renamed.v1', { itemId: 2 }), // unknown type
      labEnvelope('lab.item.created.v2', { itemId: 3 }), // a version this service does not handle
      labEnvelope(itemCreated.name, { itemId: 'four' }), // right type, wrong schema
      { ...labEnvelope(itemCreated.name, { itemId: 5 }), specversion: '0.3' }, // not a CloudEvents 1.0 envelope
      good,
    ]);
    await waitFor('five parked', async () => (await parking.count()) === 5, 10_000);
    await waitFor('good one applied', async () => (await countRows(world.consumerDb, 'SELECT count(*)::int AS n FROM lab_effect')) === 1);
    const reasons = (await parking.list()).map((m) => m.reason).sort();
    expect(reasons).toEqual(['contract-violation', 'malformed', 'malformed', 'unknown-type', 'unknown-type']);
    // parked at once: none went through the retry queues
    expect(await metricValue('crm_messages_retried_total', { service: LAB_CONSUMER })).toBe(retriedBefore);
  });

  it('parks an event whose envelope source or broker user-id is not the service owning its type', async () => {
    world = await newLabWorld();
    const consumerApp = await world.consumer();
    const names = consumerApp.get(TopologyNames);
    const parking = consumerApp.get(ParkingLot);
    const url = world.env.rabbitmqUrl;
    const target = { exchange: names.exchange, routingKey: itemCreated.name };
    // `lab.item.created` belongs to the lab service: an envelope claiming another source...
    await sendRaw(url, target, [{ ...labEnvelope(itemCreated.name, { itemId: 1 }), source: `crm/${LAB_CONSUMER}` }]);
    // ...or one without the user-id the broker validates (a publisher hiding who it is).
    await sendRaw(url, target, [labEnvelope(itemCreated.name, { itemId: 2 })], null);
    await sendRaw(url, target, [labEnvelope(itemCreated.name, { itemId: 3 })]);
    await waitFor('two parked', async () => (await parking.count()) === 2, 10_000);
    await waitFor('the genuine one applied', async () => (await countRows(world.consumerDb, 'SELECT count(*)::int AS n FROM lab_effect')) === 1);
    const parked = await parking.list();
    expect(parked.map((m) => m.reason)).toEqual(['untrusted-source', 'untrusted-source']);
    expect(parked.map((m) => m.error).join('\n')).toMatch(/comes from crm\/labcon[\s\S]*published by broker user \(none\)/);
  });
});
