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
