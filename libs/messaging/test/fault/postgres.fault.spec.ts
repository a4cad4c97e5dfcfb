import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { ParkingLot } from '../../src';
import { countRows, deliveryReport, waitFor } from '../lab/delivery-report';
import { LAB_CONTROL, LabControl, LabPublisher } from '../lab/lab.handlers';
import { metricValue } from '../lab/metric';
import { LAB_CONSUMER, LabWorld, newLabWorld } from '../lab/fixture';
import { OutboxRelay } from '../../src';

const cluster = () => readdirSync('/etc/postgresql')[0];
const isRunning = () => {
  try {
    execFileSync('pg_isready', ['-h', '127.0.0.1', '-p', '5432'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const pgctl = (action: 'start' | 'stop') =>
  (action === 'start') === isRunning() ||
  execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', cluster(), 'main', action, ...(action === 'stop' ? ['-m', 'fast'] : [])], {
    stdio: 'inherit',
    timeout: 60_000,
  });

/** Postgres really stopped while a consumer is working; started again by the test. */
describe('fault: the database', () => {
  let world: LabWorld;
  afterEach(async () => {
    pgctl('start');
    await world?.close();
  });

  it('unavailable while consuming: messages wait in the retry queues and succeed once it is back', async () => {
    world = await newLabWorld();
    const publisherApp = await world.publisher();
    const consumerApp = await world.consumer({ retryDelaysMs: [500, 1_000, 2_000, 4_000, 8_000, 8_000, 8_000], messaging: { prefetch: 8 } });
    consumerApp.get<LabControl>(LAB_CONTROL).delayMs = 10;
    await publisherApp.get(LabPublisher).publishItems(1, 2_000);
    await publisherApp.get(OutboxRelay).flush();

    await waitFor('consumption under way', async () => (await countRows(world.consumerDb, 'SELECT count(*)::int AS n FROM inbox_message')) >= 100);
    pgctl('stop');
    await waitFor(
      'failed deliveries sent to the retry queues',
      async () => (await metricValue('crm_messages_retried_total', { service: LAB_CONSUMER })) > 0,
      30_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    pgctl('start');

    await waitFor('all 2000 applied', async () => (await countRows(world.consumerDb, 'SELECT count(*)::int AS n FROM inbox_message')) >= 2_000, 120_000);
    const report = await deliveryReport(world.publisherDb, world.consumerDb, LAB_CONSUMER);
    const retried = await metricValue('crm_messages_retried_total', { service: LAB_CONSUMER });
    console.log(`postgres down: ${JSON.stringify(report)}, deliveries retried: ${retried}`);
    expect(report).toMatchObject({ committed: 2_000, lost: 0, unexpected: 0, appliedMoreThanOnce: 0, effects: 2_000 });
    expect(await consumerApp.get(ParkingLot).count()).toBe(0);
  });
});
