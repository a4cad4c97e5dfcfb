import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { createTestDatabase, deleteTestBus, testBusPrefix, testEnv } from '@crm/testing';
import { resolveOptions, TopologyNames } from '../../src';
import { LAB_RETRY_DELAYS_MS, LabOptions, startLab } from './lab.module';
import { LAB_CONSUMER } from './lab.contracts';

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
      // What the apps declared, by the library's own names (a world per test case cannot wait for
      // rabbitmqctl to list them): those started here, and the defaults of labs run as child processes.
      const labDefaults = [LAB_CONSUMER, LAB_PUBLISHER].map(
        (service) => new TopologyNames(resolveOptions({ service, url: env.rabbitmqUrl, namePrefix: prefix, retryDelaysMs: LAB_RETRY_DELAYS_MS })),
      );
      const names = declaredNames([...apps.map((app) => app.get(TopologyNames)), ...labDefaults]);
      for (const app of apps.splice(0).reverse()) {
        await app.close().catch(() => undefined);
        if (process.env['LAB_DEBUG']) console.log('app closed', Date.now() - t);
      }
      await Promise.allSettled([publisherDb.drop(), consumerDb.drop(), deleteTestBus(prefix, { names, rabbitmqUrl: env.rabbitmqUrl })]);
      if (process.env['LAB_DEBUG']) console.log('dbs dropped', Date.now() - t);
    },
  };
}
export type LabWorld = Awaited<ReturnType<typeof newLabWorld>>;

function declaredNames(topologies: TopologyNames[]): { queues: string[]; exchanges: string[] } {
  return {
    queues: [...new Set(topologies.flatMap((t) => [t.workQueue, t.parkingQueue, t.rpcQueue, ...t.retryQueues.map((r) => r.queue)]))],
    exchanges: [...new Set(topologies.flatMap((t) => [t.exchange, t.requestExchange, t.serviceRequestExchange, t.replyExchange, t.redeliveryExchange]))],
  };
}
