import { DynamicModule, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import type { RedisClientType, RedisScripts } from '@redis/client';

/** Injection token of the shared node-redis client: `@Inject(REDIS) redis: RedisClient`. */
export const REDIS = Symbol('REDIS');

/** The shared client (node-redis), with the Lua scripts the app registered (`RedisModule.forRoot(url, { scripts })`). */
// `{}`: node-redis's own defaults for "no extra modules, functions or scripts".
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export type RedisClient<S extends RedisScripts = {}> = RedisClientType<{}, {}, S>;

export interface RedisModuleOptions {
  /** Lua scripts (`defineScript`) the client runs by SHA, loading them on first use. */
  scripts?: RedisScripts;
}

@Injectable()
class RedisLifecycle implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: RedisClient) {}

  async onApplicationShutdown(): Promise<void> {
    // close() waits for pending replies; destroy() if there is no live connection to wait on.
    if (this.redis.isReady) await this.redis.close();
    else if (this.redis.isOpen) this.redis.destroy();
  }
}

@Module({})
export class RedisModule {
  static forRoot(url: string, options: RedisModuleOptions = {}): DynamicModule {
    return {
      module: RedisModule,
      global: true,
      providers: [{ provide: REDIS, useFactory: () => connectRedis(url, options) }, RedisLifecycle],
      exports: [REDIS],
    };
  }
}

/**
 * Connected before the app starts (main.ts has already checked that Redis answers). While the
 * connection is down, commands fail at once instead of queueing (`disableOfflineQueue`): a
 * request gets an error, the rate limits their in-process insurance, the readiness check "down".
 * Commands issued in the same tick leave in one socket write (node-redis pipelines them).
 */
async function connectRedis(url: string, { scripts }: RedisModuleOptions): Promise<RedisClient> {
  const logger = new Logger('Redis');
  // Loaded here, not with the library: only the API gateway keeps state in Redis, and node-redis
  // (~480 modules, ~20 MiB of an idle process) would otherwise load into every service. The client
  // alone: the `redis` package also loads its Bloom, JSON, search and time-series modules.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createClient } = require('@redis/client') as typeof import('@redis/client');
  const client = createClient({
    url,
    scripts,
    disableOfflineQueue: true,
    socket: { connectTimeout: 5_000, reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, 2_000) },
  }) as RedisClient;
  // node-redis emits an error per reconnection attempt: log each distinct error once.
  let lastError: string | undefined;
  client.on('error', (error: Error) => {
    if (error.message !== lastError) logger.warn(`Redis connection error: ${error.message}`);
    lastError = error.message;
  });
  client.on('ready', () => (lastError = undefined));
  await client.connect();
  return client;
}
