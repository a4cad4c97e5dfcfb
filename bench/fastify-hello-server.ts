/**
 * A plain Fastify hello world for bench/gateway.bench.ts: the floor an HTTP server on this
 * machine and Node version reaches, in its own process like the gateway. Env: BENCH_PORT.
 * Sends 'ready' over IPC once it listens; exits on SIGTERM or when the parent goes away.
 */
import Fastify from 'fastify';

async function main() {
  const app = Fastify({ logger: false });
  app.get('/', async () => ({ hello: 'world' }));
  await app.listen({ port: Number(process.env['BENCH_PORT'] ?? 0), host: '127.0.0.1' });
  const stop = () => void app.close().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('disconnect', stop);
  process.send?.('ready');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
