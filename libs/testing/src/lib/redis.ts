import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { testEnv } from './env';

export type TestRedis = Redis & {
  /** The key prefix every command of this client uses, e.g. `t1a2b3c4d5:` */
  readonly prefix: string;
  /** Deletes every key under the prefix and closes the client. */
  cleanup(): Promise<void>;
};

/** An ioredis client whose keys all live under a unique prefix (REDIS_URL or testEnv()). */
export async function testRedis(): Promise<TestRedis> {
  const { redisUrl } = await testEnv();
  const prefix = `t${randomBytes(5).toString('hex')}:`;
  const client = new Redis(redisUrl, { keyPrefix: prefix, lazyConnect: true, maxRetriesPerRequest: 2 });
  await client.connect();
  const cleanup = async (): Promise<void> => {
    if (client.status === 'end') return;
    // SCAN does not apply keyPrefix: match on the full prefixed name, delete through a plain client.
    const raw = client.duplicate({ keyPrefix: '' });
    try {
      let cursor = '0';
      do {
        const [next, keys] = await raw.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
        if (keys.length) await raw.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    } finally {
      raw.disconnect();
      await client.quit().catch(() => client.disconnect());
    }
  };
  return Object.assign(client, { prefix, cleanup });
}
