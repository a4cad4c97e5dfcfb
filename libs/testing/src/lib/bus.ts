import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { connect } from 'amqplib';
import { amqpSocket, closeAmqp } from './amqp-close';
import { testEnv } from './env';

/** A unique RabbitMQ name prefix for one test (exchanges, queues, broker users): `t<random>.` */
export function testBusPrefix(): string {
  return `t${randomBytes(5).toString('hex')}.`;
}

const run = promisify(execFile);

async function names(kind: 'queues' | 'exchanges', prefix: string, signal: AbortSignal): Promise<string[]> {
  const { stdout } = await run('rabbitmqctl', [`list_${kind}`, '-q', '--no-table-headers', 'name'], { signal });
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
  /** How long the clean-up may take (default 30 s, half of jest's hook timeout in this workspace). */
  deadlineMs?: number;
}

/** Counts what was deleted; all zero when the clean-up ran out of time. */
export interface TestBusCleanup {
  queues: number;
  exchanges: number;
  users: number;
}

/**
 * The one clean-up of a test's bus: deletes every queue and exchange whose name starts with the
 * test's prefix (listed by rabbitmqctl, so names the test never knew of go too: retry queues,
 * probes; or only `names`, when given), and with `users`, its broker users. Leftover queues each
 * keep broker resources (quorum queues a Raft member), so every test that declared names under a
 * prefix ends with this.
 *
 * A broker that does not finish within the deadline (a quorum queue's deletion or rabbitmqctl
 * stalled on a loaded machine) leaves the names to tools/clean-test-bus.sh, which CI runs before
 * the tests, with a warning: a stalled clean-up must not fail the tests that passed, nor hold the
 * test file until jest's hook timeout.
 */
export async function deleteTestBus(prefix: string, options: TestBusCleanupOptions = {}): Promise<TestBusCleanup> {
  // An empty prefix would match every name on the broker, a running system's included.
  if (!prefix) throw new Error("@crm/testing: deleteTestBus needs the test's bus prefix (testBusPrefix()), not an empty one");
  const deadlineMs = options.deadlineMs ?? 30_000;
  const deadline = AbortSignal.timeout(deadlineMs);
  try {
    return await cleanUp(prefix, options, deadline);
  } catch (error) {
    if (!deadline.aborted) throw error;
    process.stderr.write(
      `@crm/testing: the bus clean-up under ${prefix} did not finish in ${deadlineMs} ms (${(error as Error).message}); tools/clean-test-bus.sh removes what it left\n`,
    );
    return { queues: 0, exchanges: 0, users: 0 };
  }
}

async function cleanUp(prefix: string, options: TestBusCleanupOptions, deadline: AbortSignal): Promise<TestBusCleanup> {
  const [queues, exchanges] = options.names
    ? [options.names.queues ?? [], options.names.exchanges ?? []]
    : await Promise.all([names('queues', prefix, deadline), names('exchanges', prefix, deadline)]);
  const foreign = [...queues, ...exchanges].find((name) => !name.startsWith(prefix));
  if (foreign) throw new Error(`@crm/testing: ${foreign} is not under the test's prefix ${prefix}`);
  await deleteBusNames(queues, exchanges, options.rabbitmqUrl ?? (await testEnv()).rabbitmqUrl, deadline);
  const users = options.users ? await deleteBusUsers(prefix, deadline) : 0;
  return { queues: queues.length, exchanges: exchanges.length, users };
}

// A channel per deletion: a failed one (the name already gone) closes its channel, not the clean-up.
async function deleteBusNames(queues: string[], exchanges: string[], rabbitmqUrl: string, deadline: AbortSignal): Promise<void> {
  if (!queues.length && !exchanges.length) return;
  const connection = await connect(rabbitmqUrl, { timeout: 10_000 });
  // At the deadline the socket goes: the deletion in flight fails instead of holding the test file.
  connection.on('error', () => undefined);
  const drop = () => amqpSocket(connection).destroy();
  deadline.addEventListener('abort', drop, { once: true });
  try {
    for (const [kind, name] of [...queues.map((q) => ['queue', q] as const), ...exchanges.map((x) => ['exchange', x] as const)]) {
      deadline.throwIfAborted();
      const channel = await connection.createChannel();
      await (kind === 'queue' ? channel.deleteQueue(name) : channel.deleteExchange(name)).catch(() => undefined);
      await channel.close().catch(() => undefined);
    }
  } finally {
    deadline.removeEventListener('abort', drop);
    if (deadline.aborted) drop();
    else await closeAmqp(connection);
  }
}

async function deleteBusUsers(prefix: string, signal: AbortSignal): Promise<number> {
  const { stdout } = await run('rabbitmqctl', ['list_users', '-q', '--no-table-headers'], { signal });
  const users = stdout
    .split('\n')
    .map((line) => line.split('\t')[0].trim())
    .filter((name) => name.startsWith(prefix));
  for (const user of users) await run('rabbitmqctl', ['delete_user', user], { signal }).catch(() => signal.throwIfAborted());
  return users.length;
}
