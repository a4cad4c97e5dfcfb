/** One dependency the service needs before it can take traffic. Throws (or rejects) when not ready. */
export interface ReadinessCheck {
  name: string;
  check: (signal?: AbortSignal) => Promise<void>;
}

/** Anything with Prisma's `$queryRaw` (a PrismaClient or a subclass of it). */
export interface RawQueryClient {
  $queryRaw(query: TemplateStringsArray, ...values: unknown[]): PromiseLike<unknown>;
}

/** `selectOne` runs `SELECT 1` on the service's database, through Prisma or on its pg pool. */
export function postgresCheck(selectOne: () => PromiseLike<unknown>, name = 'postgres'): ReadinessCheck {
  return {
    name,
    check: async () => {
      await selectOne();
    },
  };
}

/** The part of a node-redis client the check uses. */
export interface PingableRedis {
  readonly isReady: boolean;
  ping(): Promise<string>;
}

export function redisCheck(redis: PingableRedis, name = 'redis'): ReadinessCheck {
  return {
    name,
    check: async () => {
      // Not connected (or reconnecting): answer "down" at once instead of waiting for a timeout.
      if (!redis.isReady) throw new Error('connection is not ready');
      const reply = await redis.ping();
      if (reply !== 'PONG') throw new Error(`unexpected PING reply: ${reply}`);
    },
  };
}

export function brokerCheck(isConnected: () => boolean, name = 'rabbitmq'): ReadinessCheck {
  return {
    name,
    check: async () => {
      if (!isConnected()) throw new Error('not connected');
    },
  };
}
