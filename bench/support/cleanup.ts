import * as amqp from 'amqplib';
import { createClient } from 'redis';

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
  const redis = await createClient({ url }).connect();
  try {
    for await (const keys of redis.scanIterator({ MATCH: `${keyPrefix}*`, COUNT: 1000 })) {
      if (keys.length) await redis.del(keys);
    }
  } finally {
    redis.destroy();
  }
}
