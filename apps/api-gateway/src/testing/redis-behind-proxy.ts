import { createClient, type RedisClientType } from '@redis/client';
import { HoldingProxy, testEnv } from '@crm/testing';

/** A client of the test Redis through a HoldingProxy: `proxy.hold()` makes Redis stop answering it. */
export interface RedisBehindProxy<C> {
  proxy: HoldingProxy;
  redis: C;
  /** Releases what the proxy holds, drops the client and closes the proxy. */
  close(): Promise<void>;
}

/** Connects a node-redis client (with `options`, e.g. the gateway's scripts) through a fresh HoldingProxy. */
export async function redisBehindProxy<C = RedisClientType>(options: Omit<NonNullable<Parameters<typeof createClient>[0]>, 'url'> = {}): Promise<RedisBehindProxy<C>> {
  const proxy = new HoldingProxy(new URL((await testEnv()).redisUrl));
  const redis = createClient({ ...options, url: await proxy.listen() });
  await redis.connect();
  return {
    proxy,
    redis: redis as unknown as C,
    close: async () => {
      proxy.release();
      redis.destroy();
      await proxy.close();
    },
  };
}
