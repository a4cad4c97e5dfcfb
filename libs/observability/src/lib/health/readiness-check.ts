import type Redis from 'ioredis';

/** One dependency the service needs before it can take traffic. Throws (or rejects) when not ready. */
export interface ReadinessCheck {
  name: string;
  check: (signal?: AbortSignal) => Promise<void>;
}

/** Anything with Prisma's `$queryRaw` (a PrismaClient or a subclass of it). */
export interface RawQueryClient {
  $queryRaw(
    query: TemplateStringsArray,
    ...values: unknown[]
  ): PromiseLike<unknown>;
}

export function postgresCheck(
  prisma: RawQueryClient,
  name = 'postgres',
): ReadinessCheck {
  return {
    name,
    check: async () => {
      await prisma.$queryRaw`SELECT 1`;
    },
  };
}

export function redisCheck(redis: Redis, name = 'redis'): ReadinessCheck {
  return {
    name,
    check: async () => {
      // While disconnected ioredis queues commands; answer "down" at once instead of waiting for the timeout.
      if (redis.status !== 'ready')
        throw new Error(`connection is ${redis.status}`);
      const reply = await redis.ping();
      if (reply !== 'PONG') throw new Error(`unexpected PING reply: ${reply}`);
    },
  };
}

export function brokerCheck(
  isConnected: () => boolean,
  name = 'rabbitmq',
): ReadinessCheck {
  return {
    name,
    check: async () => {
      if (!isConnected()) throw new Error('not connected');
    },
  };
}
