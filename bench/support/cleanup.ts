import { createClient } from 'redis';

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
