import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { connect } from 'amqplib';
import { testEnv } from './env';

/** A unique RabbitMQ name prefix for one test (exchanges, queues, broker users): `t<random>.` */
export function testBusPrefix(): string {
  return `t${randomBytes(5).toString('hex')}.`;
}

const run = promisify(execFile);

async function names(kind: 'queues' | 'exchanges', prefix: string): Promise<string[]> {
  const { stdout } = await run('rabbitmqctl', [`list_${kind}`, '-q', '--no-table-headers', 'name'], { timeout: 120_000 });
  return stdout
    .split('\n')
    .map((n) => n.trim())
    .filter((n) => n.startsWith(prefix));
}

export interface TestBusCleanupOptions {
  /**
   * The full names the test declared, when it knows them all (e.g. from the messaging library's
   * TopologyNames): deleted without listing the broker, which takes rabbitmqctl seconds. For tests
   * that make a bus per test case. Each must start with the prefix.
   */
  names?: { queues?: string[]; exchanges?: string[] };
  /** Also delete the broker users named `<prefix>...` (a test that ran tools/bus-users.sh with its prefix). */
  users?: boolean;
  /** Default: testEnv().rabbitmqUrl. */
  rabbitmqUrl?: string;
}

/**
 * The one clean-up of a test's bus: deletes every queue and exchange whose name starts with the
 * test's prefix (listed by rabbitmqctl, so names the test never knew of go too: retry queues,
 * probes; or only `names`, when given), and with `users`, its broker users. Leftover queues each
 * keep broker resources (quorum queues a Raft member), so every test that declared names under a
 * prefix ends with this.
 */
export async function deleteTestBus(prefix: string, options: TestBusCleanupOptions = {}): Promise<{ queues: number; exchanges: number; users: number }> {
  // An empty prefix would match every name on the broker, a running system's included.
  if (!prefix) throw new Error("@crm/testing: deleteTestBus needs the test's bus prefix (testBusPrefix()), not an empty one");
  const [queues, exchanges] = options.names
    ? [options.names.queues ?? [], options.names.exchanges ?? []]
    : await Promise.all([names('queues', prefix), names('exchanges', prefix)]);
  const foreign = [...queues, ...exchanges].find((name) => !name.startsWith(prefix));
  if (foreign) throw new Error(`@crm/testing: ${foreign} is not under the test's prefix ${prefix}`);
  await deleteBusNames(queues, exchanges, options.rabbitmqUrl ?? (await testEnv()).rabbitmqUrl);
  const users = options.users ? await deleteBusUsers(prefix) : 0;
  return { queues: queues.length, exchanges: exchanges.length, users };
}

// A channel per deletion: a failed one (the name already gone) closes its channel, not the clean-up.
async function deleteBusNames(queues: string[], exchanges: string[], rabbitmqUrl: string): Promise<void> {
  if (!queues.length && !exchanges.length) return;
  const connection = await connect(rabbitmqUrl);
  try {
    for (const [kind, name] of [...queues.map((q) => ['queue', q] as const), ...exchanges.map((x) => ['exchange', x] as const)]) {
      const channel = await connection.createChannel();
      await (kind === 'queue' ? channel.deleteQueue(name) : channel.deleteExchange(name)).catch(() => undefined);
      await channel.close().catch(() => undefined);
    }
  } finally {
    await connection.close().catch(() => undefined);
  }
}

async function deleteBusUsers(prefix: string): Promise<number> {
  const { stdout } = await run('rabbitmqctl', ['list_users', '-q', '--no-table-headers'], { timeout: 120_000 });
  const users = stdout
    .split('\n')
    .map((line) => line.split('\t')[0].trim())
    .filter((name) => name.startsWith(prefix));
  for (const user of users) await run('rabbitmqctl', ['delete_user', user], { timeout: 60_000 }).catch(() => undefined);
  return users.length;
}
