import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { createTestDatabase, testBusPrefix, testEnv } from '@crm/testing';
import { LabOptions, startLab } from './lab.module';
import { LAB_CONSUMER } from './lab.contracts';
import { withRawChannel } from './broker';

export const LAB_PRISMA_DIR = join(__dirname, 'prisma');
// The publisher owns the lab's events (`lab.item.created`): consumers trust an event only from its owner.
export const LAB_PUBLISHER = 'lab';
export { LAB_CONSUMER };

/**
 * One test's world: a publisher service and a consumer service, each with its own fresh
 * database, on bus names no other test uses.
 */
export async function newLabWorld() {
  const env = await testEnv();
  const [publisherDb, consumerDb] = await Promise.all([createTestDatabase(LAB_PRISMA_DIR), createTestDatabase(LAB_PRISMA_DIR)]);
  const prefix = testBusPrefix();
  const apps: INestApplication[] = [];
  const base = { amqpUrl: env.rabbitmqUrl, prefix };
  return {
    env,
    prefix,
    publisherDb: publisherDb.url,
    consumerDb: consumerDb.url,
    async publisher(extra: Partial<LabOptions> = {}) {
      const app = await startLab({ ...base, service: LAB_PUBLISHER, role: 'publisher', databaseUrl: publisherDb.url, ...extra });
      apps.push(app);
      return app;
    },
    async consumer(extra: Partial<LabOptions> = {}) {
      const app = await startLab({ ...base, service: LAB_CONSUMER, role: 'consumer', databaseUrl: consumerDb.url, ...extra });
      apps.push(app);
      return app;
    },
    async close() {
      const t = Date.now();
      for (const app of apps.splice(0).reverse()) { await app.close().catch(() => undefined); if (process.env['LAB_DEBUG']) console.log('app closed', Date.now() - t); }
      await Promise.allSettled([publisherDb.drop(), consumerDb.drop(), deleteBusNames(env.rabbitmqUrl, prefix)]);
      if (process.env['LAB_DEBUG']) console.log('dbs dropped', Date.now() - t);
    },
  };
}
export type LabWorld = Awaited<ReturnType<typeof newLabWorld>>;

/**
 * Deletes every queue and the exchange a test world declared: left behind, hundreds of quorum
 * queues (a Raft member each) slow the broker to a halt.
 */
async function deleteBusNames(url: string, prefix: string): Promise<void> {
  const queues = [LAB_CONSUMER, LAB_PUBLISHER].flatMap((service) => [
    `${prefix}${service}.events`,
    `${prefix}${service}.events.parked`,
    `${prefix}${service}.rpc`,
    ...[200, 400, 600, 800, 1_000, 1_200, 2_000, 4_000, 8_000, 500].map((ms) => `${prefix}${service}.events.retry.${ms}ms`),
  ]);
  await withRawChannel(url, async (channel) => {
    for (const queue of queues) await channel.deleteQueue(queue);
    for (const exchange of ['crm.events', 'crm.requests', 'crm.replies', ...[LAB_CONSUMER, LAB_PUBLISHER].map((s) => `${s}.events.redelivery`)]) {
      await channel.deleteExchange(`${prefix}${exchange}`);
    }
  });
}
