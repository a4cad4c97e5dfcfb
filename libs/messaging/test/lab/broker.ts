import { execFileSync } from 'node:child_process';
import * as amqplib from 'amqplib';

/** Runs rabbitmqctl on this machine's broker (fault tests really stop and alarm it). */
export function rabbitmqctl(...args: string[]): string {
  return execFileSync('rabbitmqctl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
}

export function stopBroker(): void {
  rabbitmqctl('stop_app');
}

export function startBroker(): void {
  rabbitmqctl('start_app');
  rabbitmqctl('await_startup');
}

export async function withRawChannel<T>(url: string, fn: (channel: amqplib.ConfirmChannel) => Promise<T>): Promise<T> {
  const connection = await amqplib.connect(url, { noDelay: true });
  try {
    const channel = await connection.createConfirmChannel();
    return await fn(channel);
  } finally {
    await connection.close().catch(() => undefined);
  }
}

/** messages and unacked counts of one queue, from the broker's own view. */
export async function queueCounts(url: string, queue: string): Promise<{ messages: number; consumers: number }> {
  return withRawChannel(url, async (channel) => {
    const q = await channel.checkQueue(queue);
    return { messages: q.messageCount, consumers: q.consumerCount };
  });
}

/** Unacknowledged messages per queue (rabbitmqctl; AMQP cannot see them). */
export function unackedCount(queue: string): number {
  const out = rabbitmqctl('list_queues', '-q', '--no-table-headers', 'name', 'messages_unacknowledged');
  const line = out.split('\n').find((l) => l.split('\t')[0] === queue);
  return line ? Number(line.split('\t')[1]) : 0;
}
