/**
 * An echo server for bench/messaging.bench.ts, in its own process so the caller and the
 * server do not share one event loop. Mode by env BENCH_SERVER:
 *   lab  - the library: a consumer lab app (startLab role 'consumer'), echo via @OnRpc(labEcho)
 *          env: BENCH_AMQP_URL, BENCH_PREFIX, BENCH_DATABASE_URL
 *   raw  - amqplib only: consume a classic queue, reply to replyTo with correlationId, ack
 *          env: BENCH_AMQP_URL, BENCH_QUEUE
 *   nest - NestJS' own RMQ transport: createMicroservice + @MessagePattern('echo')
 *          env: BENCH_AMQP_URL, BENCH_QUEUE
 * Sends 'ready' over IPC once it consumes; exits on SIGTERM or when the parent goes away.
 */
import 'reflect-metadata';
import { LAB_TRANSACTIONS } from './support/lab-transactions';

const env = process.env;
const url = env['BENCH_AMQP_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';
let shutdown: () => Promise<void> = async () => undefined;

async function lab(): Promise<void> {
  // Loaded lazily so the raw mode does not pay for Nest/Prisma.
  const { startLab } = require('../libs/messaging/test/lab/lab.module') as typeof import('../libs/messaging/test/lab/lab.module');
  const { LAB_CONSUMER } = require('../libs/messaging/test/lab/lab.contracts') as typeof import('../libs/messaging/test/lab/lab.contracts');
  const app = await startLab(
    {
      role: 'consumer',
      service: LAB_CONSUMER,
      databaseUrl: env['BENCH_DATABASE_URL'] as string,
      amqpUrl: url,
      prefix: env['BENCH_PREFIX'] ?? '',
      transactions: LAB_TRANSACTIONS,
    },
    ['error'],
  );
  shutdown = () => app.close();
}

async function raw(): Promise<void> {
  const amqp = require('amqplib') as typeof import('amqplib');
  const queue = env['BENCH_QUEUE'] as string;
  const connection = await amqp.connect(url, { noDelay: true });
  const channel = await connection.createChannel();
  await channel.assertQueue(queue, { durable: false, autoDelete: true, arguments: { 'x-queue-type': 'classic' } });
  await channel.prefetch(64);
  await channel.consume(
    queue,
    (msg) => {
      if (!msg) return;
      channel.sendToQueue(msg.properties.replyTo, msg.content, { correlationId: msg.properties.correlationId });
      channel.ack(msg);
    },
    { noAck: false },
  );
  shutdown = async () => {
    await connection.close().catch(() => undefined);
  };
}

async function nest(): Promise<void> {
  const { Controller, Module } = require('@nestjs/common') as typeof import('@nestjs/common');
  const { NestFactory } = require('@nestjs/core') as typeof import('@nestjs/core');
  const { MessagePattern, Payload, Transport } = require('@nestjs/microservices') as typeof import('@nestjs/microservices');
  const queue = env['BENCH_QUEUE'] as string;

  class EchoController {
    echo(data: unknown) {
      return data;
    }
  }
  // Decorators applied by hand (this file is loaded lazily per mode).
  Payload()(EchoController.prototype, 'echo', 0);
  const descriptor = Object.getOwnPropertyDescriptor(EchoController.prototype, 'echo') as PropertyDescriptor;
  MessagePattern('echo')(EchoController.prototype, 'echo', descriptor);
  Controller()(EchoController);
  class EchoModule {}
  Module({ controllers: [EchoController] })(EchoModule);

  const app = await NestFactory.createMicroservice(EchoModule, {
    transport: Transport.RMQ,
    options: { urls: [url], queue, queueOptions: { durable: false, autoDelete: true } },
    logger: ['error'],
  });
  await app.listen();
  shutdown = () => app.close();
}

async function main() {
  const mode = env['BENCH_SERVER'];
  if (mode === 'lab') await lab();
  else if (mode === 'raw') await raw();
  else if (mode === 'nest') await nest();
  else throw new Error(`BENCH_SERVER must be lab|raw|nest, got ${mode}`);
  const stop = () => {
    void shutdown()
      .catch(() => undefined)
      .finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 5_000).unref();
  };
  process.once('SIGTERM', stop);
  process.once('disconnect', stop);
  process.send?.('ready');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
