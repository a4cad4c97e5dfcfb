import {
  DynamicModule,
  Inject,
  Injectable,
  Logger,
  Module,
  OnApplicationShutdown,
} from '@nestjs/common';
import Redis, { RedisOptions } from 'ioredis';

/** Injection token of the shared ioredis client: `@Inject(REDIS) redis: Redis`. */
export const REDIS = Symbol('REDIS');

@Injectable()
class RedisLifecycle implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    // quit() waits for pending replies; disconnect() if there is no live connection to wait on.
    if (this.redis.status === 'ready') await this.redis.quit();
    else this.redis.disconnect();
  }
}

@Module({})
export class RedisModule {
  static forRoot(url: string, options: RedisOptions = {}): DynamicModule {
    return {
      module: RedisModule,
      global: true,
      providers: [
        { provide: REDIS, useFactory: () => createRedisClient(url, options) },
        RedisLifecycle,
      ],
      exports: [REDIS],
    };
  }
}

function createRedisClient(url: string, options: RedisOptions): Redis {
  const logger = new Logger('Redis');
  // Auto-pipelining: commands issued in the same tick (token checks, rate limits of concurrent
  // requests) leave in one socket write instead of one write each.
  const client = new Redis(url, { maxRetriesPerRequest: 3, enableAutoPipelining: true, ...options });
  // ioredis retries forever and emits an error per attempt: log each distinct error once.
  let lastError: string | undefined;
  client.on('error', (error: Error) => {
    if (error.message !== lastError)
      logger.warn(`Redis connection error: ${error.message}`);
    lastError = error.message;
  });
  client.on('ready', () => (lastError = undefined));
  return client;
}
