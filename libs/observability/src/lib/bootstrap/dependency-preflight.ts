import { Socket } from 'node:net';

/** A server the service cannot start without. */
export interface StartupDependency {
  /** Human name used in the message, e.g. "Postgres". */
  name: string;
  url: string;
}

export const START_DEPENDENCIES_HINT = 'docker compose up -d postgres rabbitmq redis';

const DEFAULT_PORTS: Record<string, number> = {
  'postgresql:': 5432,
  'postgres:': 5432,
  'redis:': 6379,
  'rediss:': 6379,
  'amqp:': 5672,
  'amqps:': 5671,
};

/**
 * Opens (and closes) a TCP connection to each dependency.
 * Returns one readable line per unreachable server, e.g.
 * "Postgres is not reachable at 127.0.0.1:5432 (ECONNREFUSED)".
 */
export async function findUnreachable(dependencies: readonly StartupDependency[], timeoutMs = 2000): Promise<string[]> {
  const results = await Promise.all(
    dependencies.map(async ({ name, url }) => {
      const { hostname, port, protocol } = new URL(url);
      const address = {
        host: hostname.replace(/^\[|\]$/g, ''),
        port: Number(port) || DEFAULT_PORTS[protocol],
      };
      const failure = await tryConnect(address.host, address.port, timeoutMs);
      return failure ? `${name} is not reachable at ${address.host}:${address.port} (${failure})` : undefined;
    }),
  );
  return results.filter((line): line is string => line !== undefined);
}

function tryConnect(host: string, port: number, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const finish = (failure?: string) => {
      socket.destroy();
      resolve(failure);
    };
    socket.setTimeout(timeoutMs, () => finish(`no answer within ${timeoutMs} ms`));
    socket.once('error', (error: NodeJS.ErrnoException) => finish(error.code ?? error.message));
    socket.connect(port, host, () => finish());
  });
}
