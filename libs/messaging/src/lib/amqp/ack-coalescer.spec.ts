import type { Channel, Message } from 'amqplib';
import { AckCoalescer } from './ack-coalescer';

const msg = (deliveryTag: number) => ({ fields: { deliveryTag } }) as Message;
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('AckCoalescer', () => {
  function setUp() {
    const acks: [number, boolean][] = [];
    const channel = { ack: (m: Message, allUpTo?: boolean) => acks.push([m.fields.deliveryTag, !!allUpTo]) } as unknown as Channel;
    return { acks, coalescer: new AckCoalescer(channel) };
  }

  it('acks a run of completions from the oldest delivery with one multiple ack', async () => {
    const { acks, coalescer } = setUp();
    [1, 2, 3].forEach((t) => coalescer.received(msg(t)));
    [2, 1, 3].forEach((t) => coalescer.completed(msg(t)));
    await nextTurn();
    expect(acks).toEqual([[3, true]]);
  });

  it('acks completions behind a slow request one by one, and the slow one when it ends', async () => {
    const { acks, coalescer } = setUp();
    [1, 2, 3].forEach((t) => coalescer.received(msg(t)));
    coalescer.completed(msg(2));
    coalescer.completed(msg(3));
    await nextTurn();
    expect(acks).toEqual([
      [2, false],
      [3, false],
    ]);
    coalescer.completed(msg(1));
    await nextTurn();
    expect(acks.slice(2)).toEqual([[1, true]]);
  });

  it("acks a delivery completed within its turn ahead of what was scheduled after its receipt (amqplib's frame writer, holding the reply)", async () => {
    const { acks, coalescer } = setUp();
    const order: string[] = [];
    coalescer.received(msg(1));
    // The reply is published while the delivery is handled: amqplib schedules its frame writer then.
    setImmediate(() => order.push(`frames written; acks so far: ${acks.length}`));
    coalescer.completed(msg(1));
    await nextTurn();
    expect(order).toEqual(['frames written; acks so far: 1']);
    expect(acks).toEqual([[1, true]]);
  });

  it('flushes at once when asked (shutdown)', () => {
    const { acks, coalescer } = setUp();
    coalescer.received(msg(1));
    coalescer.completed(msg(1));
    coalescer.flush();
    expect(acks).toEqual([[1, true]]);
  });

  it('leaves a nacked delivery out: the run goes on past it, and no ack names it', async () => {
    const { acks, coalescer } = setUp();
    [1, 2, 3].forEach((t) => coalescer.received(msg(t)));
    coalescer.abandoned(msg(1));
    coalescer.completed(msg(2));
    coalescer.completed(msg(3));
    await nextTurn();
    expect(acks).toEqual([[3, true]]);
  });
});
