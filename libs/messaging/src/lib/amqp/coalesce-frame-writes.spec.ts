import type { Socket } from 'node:net';
import * as amqp from 'amqplib';
import { testEnv } from '@crm/testing';
import { coalesceFrameWrites } from './coalesce-frame-writes';

/** Socket writes (write or writev calls reaching the socket) for `count` messages published in one turn of the event loop. */
async function socketWritesFor(count: number, coalesce: boolean): Promise<{ writes: number; received: number }> {
  const model = await amqp.connect((await testEnv()).rabbitmqUrl, { noDelay: true });
  try {
    if (coalesce) expect(coalesceFrameWrites(model)).toBe(true);
    const channel = await model.createChannel();
    const { queue } = await channel.assertQueue('', { exclusive: true });
    const socket = (model as unknown as { connection: { stream: Socket } }).connection.stream;
    let writes = 0;
    const spy = socket as unknown as { _write: (...args: unknown[]) => void; _writev: (...args: unknown[]) => void };
    const [write, writev] = [spy._write.bind(socket), spy._writev.bind(socket)];
    spy._write = (...args) => (writes++, write(...args));
    spy._writev = (...args) => (writes++, writev(...args));
    for (let i = 0; i < count; i++) channel.sendToQueue(queue, Buffer.from(`message ${i}`));
    // amqplib hands its frames to the socket a turn later (its multiplexer's setImmediate); nothing else writes meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const counted = writes;
    // Every message still arrives (nothing lost in the cork).
    for (let tries = 0; tries < 100 && (await channel.checkQueue(queue)).messageCount < count; tries++) await new Promise((r) => setTimeout(r, 20));
    return { writes: counted, received: (await channel.checkQueue(queue)).messageCount };
  } finally {
    await model.close();
  }
}

describe('coalesceFrameWrites', () => {
  it('sends the frames published in one turn with one socket write instead of one each, and every message arrives', async () => {
    expect(await socketWritesFor(50, false)).toEqual({ writes: 50, received: 50 });
    expect(await socketWritesFor(50, true)).toEqual({ writes: 1, received: 50 });
  });

  it('leaves a connection alone when amqplib is not what it knows', () => {
    expect(coalesceFrameWrites({} as amqp.ChannelModel)).toBe(false);
    expect(coalesceFrameWrites({ connection: { muxer: {} } } as unknown as amqp.ChannelModel)).toBe(false);
  });
});
