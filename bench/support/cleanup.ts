import * as amqp from 'amqplib';
import Redis from 'ioredis';

/** Deletes a benchmark's queues and exchanges (each on its own channel: a failed deletion closes only its channel). */
export async function deleteBusNames(url: string, queues: string[], exchanges: string[]): Promise<void> {
  const connection = await amqp.connect(url);
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

/** Deletes every Redis key under a benchmark's prefix. */
export async function deleteRedisKeys(url: string, keyPrefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
