import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { connect } from 'amqplib';

/** A unique RabbitMQ name prefix for one test (exchanges, queues): `t<random>.` */
export function testBusPrefix(): string {
  return `t${randomBytes(5).toString('hex')}.`;
}

const run = promisify(execFile);

async function names(kind: 'queues' | 'exchanges', prefix: string): Promise<string[]> {
  const { stdout } = await run('rabbitmqctl', [`list_${kind}`, '-q', '--no-table-headers', 'name'], { timeout: 120_000 });
  return stdout.split('\n').map((n) => n.trim()).filter((n) => n.startsWith(prefix));
}

/** Deletes every queue and exchange whose name starts with `prefix` (listed by rabbitmqctl). */
export async function deleteBusObjects(rabbitmqUrl: string, prefix: string): Promise<{ queues: number; exchanges: number }> {
  const [queues, exchanges] = await Promise.all([names('queues', prefix), names('exchanges', prefix)]);
  const connection = await connect(rabbitmqUrl);
  try {
    const channel = await connection.createChannel();
    for (const queue of queues) await channel.deleteQueue(queue);
    for (const exchange of exchanges) await channel.deleteExchange(exchange);
    await channel.close();
  } finally {
    await connection.close();
  }
  return { queues: queues.length, exchanges: exchanges.length };
}

/** Deletes every broker user whose name starts with `prefix` (listed by rabbitmqctl). */
export async function deleteBusUsers(prefix: string): Promise<number> {
  const { stdout } = await run('rabbitmqctl', ['list_users', '-q', '--no-table-headers'], { timeout: 120_000 });
  const users = stdout.split('\n').map((line) => line.split('\t')[0].trim()).filter((name) => name.startsWith(prefix));
  for (const user of users) await run('rabbitmqctl', ['delete_user', user], { timeout: 60_000 }).catch(() => undefined);
  return users.length;
}
