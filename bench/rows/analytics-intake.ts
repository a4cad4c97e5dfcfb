import { performance } from 'node:perf_hooks';
import * as amqp from 'amqplib';
import { Client } from 'pg';
import { testEnv } from '@crm/testing';
import { CrmSystem } from '../support/crm-system';
import { Processes } from '../support/pidstat';
import { fmt, log, sleep } from '../support/processes';
import { Row, withCpu } from './row';

/**
 * Analytics working through a backlog: the service was stopped while the seed (and everything
 * after it) published; started again, its intake is measured over BENCH_DRAIN_SECONDS (default 20)
 * as inbox rows written per second (one per event taken in).
 */
const DRAIN_SECONDS = Number(process.env['BENCH_DRAIN_SECONDS'] ?? 20);

/** `processes`: the services' pids, read after analytics has been started again. */
export async function analyticsIntakeRow(system: CrmSystem, processes: () => Processes): Promise<Row> {
  const queue = `${system.prefix}analytics.events`;
  const before = await progress(system.databaseUrls.analytics, queue);
  log(`analytics intake: started on a backlog of ${fmt(before.waiting)} events, ${DRAIN_SECONDS}s measured`);
  await system.restart('analytics');
  // Readiness includes the consumer's start; what it took in meanwhile is counted from here.
  const start = await progress(system.databaseUrls.analytics, queue);
  const { result, cpu } = await withCpu(processes(), async () => {
    const t0 = performance.now();
    await sleep(DRAIN_SECONDS * 1000);
    const end = await progress(system.databaseUrls.analytics, queue);
    return { end, seconds: (performance.now() - t0) / 1000 };
  });
  return {
    name: `analytics intake draining a backlog (${fmt(before.waiting)} events queued)`,
    perSecond: (result.end.ingested - start.ingested) / result.seconds,
    unit: 'events/s',
    count: result.end.ingested - start.ingested,
    errors: 0,
    cpu,
    note: `${fmt(result.end.waiting)} still queued after ${DRAIN_SECONDS}s`,
  };
}

/** Events analytics has taken in (one inbox row each), and how many wait in its queue. */
async function progress(databaseUrl: string, queue: string): Promise<{ ingested: number; waiting: number }> {
  const db = new Client({ connectionString: databaseUrl });
  const connection = await amqp.connect((await testEnv()).rabbitmqUrl);
  try {
    await db.connect();
    const channel = await connection.createChannel();
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM inbox_message');
    return { ingested: rows[0].n, waiting: (await channel.checkQueue(queue)).messageCount };
  } finally {
    await Promise.allSettled([db.end(), connection.close()]);
  }
}
