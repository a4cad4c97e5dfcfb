import * as amqp from 'amqplib';

/**
 * Raw amqplib request/reply over direct reply-to, against the amqplib echo consumer of a peer
 * started with BENCH_SERVER=raw on `queue` (bench/rpc-echo-server.ts): `call` sends `{ payload }`
 * and resolves once the echo arrives.
 */
export async function rawCaller(amqpUrl: string, queue: string, payload: string): Promise<{ call: () => Promise<void>; close: () => Promise<void> }> {
  const connection = await amqp.connect(amqpUrl, { noDelay: true });
  const channel = await connection.createChannel();
  const pending = new Map<string, () => void>();
  await channel.consume(
    'amq.rabbitmq.reply-to',
    (msg) => {
      const resolve = msg && pending.get(msg.properties.correlationId);
      if (!resolve) return;
      pending.delete(msg.properties.correlationId);
      resolve();
    },
    { noAck: true },
  );
  let seq = 0;
  const body = Buffer.from(JSON.stringify({ payload }));
  const call = () =>
    new Promise<void>((resolve, reject) => {
      const correlationId = `${++seq}`;
      const timer = setTimeout(() => {
        pending.delete(correlationId);
        reject(new Error('raw rpc timeout'));
      }, 5_000);
      pending.set(correlationId, () => {
        clearTimeout(timer);
        resolve();
      });
      channel.sendToQueue(queue, body, { correlationId, replyTo: 'amq.rabbitmq.reply-to', contentType: 'application/json' });
    });
  return { call, close: () => connection.close().catch(() => undefined) };
}

/**
 * Raw amqplib as the library's caller sends: `body` (a request envelope, with its token) straight
 * to a service's request `queue`, the reply coming back through `replyExchange` to a reply queue
 * of this connection's own, as the library's server replies. Against the library's server, it
 * tells the server's share of the library's cost from the client's.
 */
export async function rawEnvelopeCaller(
  amqpUrl: string,
  target: { queue: string; replyExchange: string; replyQueue: string; type: string },
  body: Buffer,
): Promise<{ call: () => Promise<void>; close: () => Promise<void> }> {
  const connection = await amqp.connect(amqpUrl, { noDelay: true });
  const channel = await connection.createChannel();
  const pending = new Map<string, () => void>();
  await channel.assertQueue(target.replyQueue, { exclusive: true, autoDelete: true, durable: false, arguments: { 'x-queue-type': 'classic' } });
  await channel.bindQueue(target.replyQueue, target.replyExchange, target.replyQueue);
  await channel.consume(
    target.replyQueue,
    (msg) => {
      const resolve = msg && pending.get(msg.properties.correlationId);
      if (!resolve) return;
      pending.delete(msg.properties.correlationId);
      resolve();
    },
    { noAck: true },
  );
  let seq = 0;
  const call = () =>
    new Promise<void>((resolve, reject) => {
      const correlationId = `${++seq}`;
      const timer = setTimeout(() => {
        pending.delete(correlationId);
        reject(new Error('raw rpc timeout'));
      }, 5_000);
      pending.set(correlationId, () => {
        clearTimeout(timer);
        resolve();
      });
      channel.sendToQueue(target.queue, body, { correlationId, replyTo: target.replyQueue, type: target.type, contentType: 'application/json' });
    });
  return { call, close: () => connection.close().catch(() => undefined) };
}
