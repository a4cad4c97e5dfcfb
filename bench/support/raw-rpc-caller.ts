import * as amqp from 'amqplib';

export interface RawCaller {
  call: () => Promise<void>;
  close: () => Promise<void>;
}

/**
 * Raw amqplib request/reply over direct reply-to, against the amqplib echo consumer of a peer
 * started with BENCH_SERVER=raw on `queue` (bench/rpc-echo-server.ts): `call` sends `{ payload }`
 * and resolves once the echo arrives.
 */
export async function rawCaller(amqpUrl: string, queue: string, payload: string): Promise<RawCaller> {
  const connection = await amqp.connect(amqpUrl, { noDelay: true });
  const channel = await connection.createChannel();
  const body = Buffer.from(JSON.stringify({ payload }));
  return callerOn(connection, channel, 'amq.rabbitmq.reply-to', (correlationId) =>
    channel.sendToQueue(queue, body, { correlationId, replyTo: 'amq.rabbitmq.reply-to', contentType: 'application/json' }),
  );
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
): Promise<RawCaller> {
  const connection = await amqp.connect(amqpUrl, { noDelay: true });
  const channel = await connection.createChannel();
  await channel.assertQueue(target.replyQueue, { exclusive: true, autoDelete: true, durable: false, arguments: { 'x-queue-type': 'classic' } });
  await channel.bindQueue(target.replyQueue, target.replyExchange, target.replyQueue);
  return callerOn(connection, channel, target.replyQueue, (correlationId) =>
    channel.sendToQueue(target.queue, body, { correlationId, replyTo: target.replyQueue, type: target.type, contentType: 'application/json' }),
  );
}

/** Calls that `send` a request and resolve when the reply with its correlation id arrives on `replies`. */
async function callerOn(connection: amqp.ChannelModel, channel: amqp.Channel, replies: string, send: (correlationId: string) => void): Promise<RawCaller> {
  const pending = new Map<string, () => void>();
  await channel.consume(
    replies,
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
      send(correlationId);
    });
  return { call, close: () => connection.close().catch(() => undefined) };
}
