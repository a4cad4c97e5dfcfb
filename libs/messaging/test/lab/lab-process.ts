/**
 * A lab service in its own process, so fault tests can SIGKILL it at the exact moment under
 * test. Configured by environment:
 *   LAB_ROLE=publisher|consumer, LAB_SERVICE, LAB_DATABASE_URL, LAB_AMQP_URL, LAB_PREFIX,
 *   LAB_FAULT=kill-after-confirm|kill-before-commit|kill-after-commit, LAB_FAULT_AT=<n>
 *   LAB_PUBLISH=<first>:<count> (publisher: publish these items, then keep relaying)
 *   LAB_DELAY_MS=<ms> (consumer: time each item handler takes)
 */
import 'reflect-metadata';
import type { EventEnvelope } from '@crm/contracts';
import type { MessagingFaultHooks } from '../../src';
import { LAB_CONTROL, LabControl, LabPublisher } from './lab.handlers';
import { startLab } from './lab.module';

const env = process.env;
const faultAt = Number(env['LAB_FAULT_AT'] ?? 1);
let seen = 0;
const killWhenDue = () => {
  if (++seen >= faultAt) process.kill(process.pid, 'SIGKILL');
};
const faults: MessagingFaultHooks = {};
if (env['LAB_FAULT'] === 'kill-after-confirm') faults.relayAfterConfirm = killWhenDue;
if (env['LAB_FAULT'] === 'kill-before-commit') faults.consumerBeforeCommit = (_e: EventEnvelope) => killWhenDue();
if (env['LAB_FAULT'] === 'kill-after-commit') faults.consumerAfterCommit = (_e: EventEnvelope) => killWhenDue();

async function main() {
  const app = await startLab(
    {
      role: env['LAB_ROLE'] === 'publisher' ? 'publisher' : 'consumer',
      service: env['LAB_SERVICE'] ?? 'labcon',
      databaseUrl: env['LAB_DATABASE_URL'] as string,
      amqpUrl: env['LAB_AMQP_URL'] as string,
      prefix: env['LAB_PREFIX'] ?? '',
      faults,
      messaging: { relay: { batchSize: 100, pollIntervalMs: 200 }, prefetch: 16 },
    },
    ['error', 'warn'],
  );
  app.enableShutdownHooks();
  if (env['LAB_DELAY_MS']) app.get<LabControl>(LAB_CONTROL).delayMs = Number(env['LAB_DELAY_MS']);
  const publish = env['LAB_PUBLISH'];
  if (publish) {
    const [first, count] = publish.split(':').map(Number);
    await app.get(LabPublisher).publishItems(first, count);
  }
  process.send?.('ready');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
