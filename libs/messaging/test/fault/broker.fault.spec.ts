import { INestApplicationContext } from '@nestjs/common';
import { register } from 'prom-client';
import { TopologyNames } from '../../src';
import { rabbitmqctl, startBroker, stopBroker, unackedCount } from '../lab/broker';
import { countRows, deliveryReport, waitFor } from '../lab/delivery-report';
import { LAB_CONTROL, LabControl, LabPublisher } from '../lab/lab.handlers';
import { metricValue } from '../lab/metric';
import { LAB_CONSUMER, LAB_PUBLISHER, LabWorld, newLabWorld } from '../lab/fixture';

const inboxCount = (world: LabWorld) => countRows(world.consumerDb, 'SELECT count(*)::int AS n FROM inbox_message');
const outboxCount = (world: LabWorld) => countRows(world.publisherDb, 'SELECT count(*)::int AS n FROM outbox_message');

async function expectAllAppliedOnce(world: LabWorld, expected: number, label: string) {
  await waitFor(`all ${expected} events applied`, async () => (await inboxCount(world)) >= expected, 180_000);
  const report = await deliveryReport(world.publisherDb, world.consumerDb, LAB_CONSUMER);
  const duplicates = await metricValue('crm_messages_consumed_total', { service: LAB_CONSUMER, outcome: 'duplicate' });
  console.log(`${label}: ${JSON.stringify(report)}, duplicate deliveries absorbed: ${duplicates}`);
  expect(report).toMatchObject({ committed: expected, lost: 0, unexpected: 0, appliedMoreThanOnce: 0, effects: expected });
}

/** The real broker stopped, alarmed and cut off with rabbitmqctl; always restored afterwards. */
describe('fault: the broker', () => {
  let world: LabWorld;
  afterEach(async () => {
    rabbitmqctl('set_vm_memory_high_watermark', '0.4');
    startBroker();
    await world?.close();
  });

  it('stopped during a burst of 10,000 events: after it is back all arrive and none is applied twice', async () => {
    world = await newLabWorld();
    const publisherApp = await world.publisher();
    await world.consumer({ messaging: { prefetch: 64 } });
    const burst = publisherApp.get(LabPublisher).publishItems(1, 10_000, 16);
    await waitFor('a first part of the burst delivered', async () => (await inboxCount(world)) >= 1_500);
    stopBroker();
    const appliedWhileStopped = await inboxCount(world);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    startBroker();
    await burst;
    console.log(`broker stopped after ${appliedWhileStopped} of 10000 applied`);
    expect(appliedWhileStopped).toBeLessThan(10_000);
    await expectAllAppliedOnce(world, 10_000, 'broker stop');
  });

  it('raising a memory alarm: publishers are blocked, the outbox backlog grows and shows in a metric, then drains', async () => {
    world = await newLabWorld();
    const publisherApp = await world.publisher();
    await world.consumer();
    const publisher = publisherApp.get(LabPublisher);
    await publisher.publishItems(1, 100);
    await waitFor('first events applied', async () => (await inboxCount(world)) === 100);

    rabbitmqctl('set_vm_memory_high_watermark', '0.00001');
    await publisher.publishItems(101, 1_000);
    await waitFor('publisher blocked', async () => (await metricValue('crm_broker_blocked', { service: LAB_PUBLISHER })) === 1, 30_000);
    await waitFor(
      'backlog visible in crm_outbox_pending_messages',
      async () => (await metricValue('crm_outbox_pending_messages', { service: LAB_PUBLISHER })) > 0,
      30_000,
    );
    const backlog = await metricValue('crm_outbox_pending_messages', { service: LAB_PUBLISHER });
    expect(await register.metrics()).toContain(`crm_outbox_pending_messages{service="${LAB_PUBLISHER}"}`);
    const appliedDuringAlarm = await inboxCount(world);

    rabbitmqctl('set_vm_memory_high_watermark', '0.4');
    await waitFor('publisher unblocked', async () => (await metricValue('crm_broker_blocked', { service: LAB_PUBLISHER })) === 0, 30_000);
    console.log(`memory alarm: backlog metric ${backlog}, applied during the alarm ${appliedDuringAlarm}`);
    expect(backlog).toBeGreaterThan(0);
    expect(appliedDuringAlarm).toBeLessThan(1_100);
    await expectAllAppliedOnce(world, 1_100, 'memory alarm');
    await waitFor('backlog drained', async () => {
      await publisherApp.get(LabPublisher).publishItems(0, 0);
      return (await countRows(world.publisherDb, 'SELECT count(*)::int AS n FROM outbox_message WHERE sent_at IS NULL')) === 0;
    });
  });

  it('force-closing every connection: consumers re-attach, nothing stays unacked, nothing is lost', async () => {
    world = await newLabWorld();
    const publisherApp = await world.publisher();
    const consumerApp: INestApplicationContext = await world.consumer();
    consumerApp.get<LabControl>(LAB_CONTROL).delayMs = 2;
    const burst = publisherApp.get(LabPublisher).publishItems(1, 3_000, 8);
    await waitFor('some events applied', async () => (await inboxCount(world)) >= 300);
    rabbitmqctl('close_all_connections', 'fault test: connections force-closed');
    await burst;
    expect(await outboxCount(world)).toBe(3_000);
    await expectAllAppliedOnce(world, 3_000, 'close_all_connections');
    const queue = consumerApp.get(TopologyNames).workQueue;
    await waitFor('no unacked messages left', async () => unackedCount(queue) === 0, 30_000);
  });
});
