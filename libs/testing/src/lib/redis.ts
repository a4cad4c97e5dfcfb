import { randomBytes } from 'node:crypto';
import { createClient, type RedisClientType } from 'redis';
import { testEnv } from './env';

export type TestRedis = RedisClientType & {
  /** The key prefix every command of this client uses, e.g. `t1a2b3c4d5:` */
  readonly prefix: string;
  /** The full names of the keys under the prefix (SCAN, through a client without the prefix). */
  keys(): Promise<string[]>;
  /** A client without the prefix, for reading keys by their full names (the caller closes it). */
  raw(): Promise<RedisClientType>;
  /** Deletes every key under the prefix and closes the client. */
  cleanup(): Promise<void>;
};

/** A node-redis client whose keys all live under a unique prefix (REDIS_URL or testEnv()). */
export async function testRedis(): Promise<TestRedis> {
  const { redisUrl } = await testEnv();
  const prefix = `t${randomBytes(5).toString('hex')}:`;
  const client = (await createClient({ url: redisUrl, keyPrefix: prefix }).connect()) as RedisClientType;
  // SCAN MATCH is not prefixed and the keys it returns are full names: use them on a plain client.
  const raw = () => createClient({ url: redisUrl }).connect() as Promise<RedisClientType>;
  const keys = async (): Promise<string[]> => {
    const plain = await raw();
    try {
      const found: string[] = [];
      for await (const batch of plain.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) found.push(...batch);
      return found;
    } finally {
      plain.destroy();
    }
  };
  const cleanup = async (): Promise<void> => {
    if (!client.isOpen) return;
    try {
      const found = await keys();
      if (found.length) {
        const plain = await raw();
        try {
          await plain.del(found);
        } finally {
          plain.destroy();
        }
      }
    } finally {
      client.destroy();
    }
  };
  return Object.assign(client, { prefix, keys, raw, cleanup });
}
