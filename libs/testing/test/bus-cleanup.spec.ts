import { connect } from 'amqplib';
import { deleteTestBus, testBusPrefix, testEnv } from '../src';

/** Whether each queue / exchange exists (a passive check on a channel of its own: a miss closes it). */
async function existing(kind: 'queue' | 'exchange', names: string[]): Promise<boolean[]> {
  const connection = await connect((await testEnv()).rabbitmqUrl);
  try {
    const found: boolean[] = [];
    for (const name of names) {
      const channel = await connection.createChannel();
      channel.on('error', () => undefined);
      const check = kind === 'queue' ? channel.checkQueue(name) : channel.checkExchange(name);
      found.push(
        await check.then(
          () => true,
          () => false,
        ),
      );
      await channel.close().catch(() => undefined);
    }
    return found;
  } finally {
    await connection.close().catch(() => undefined);
  }
}

async function declare(queues: string[], exchanges: string[]): Promise<void> {
  const connection = await connect((await testEnv()).rabbitmqUrl);
  try {
    const channel = await connection.createChannel();
    for (const queue of queues) await channel.assertQueue(queue, { durable: true });
    for (const exchange of exchanges) await channel.assertExchange(exchange, 'topic', { durable: true });
  } finally {
    await connection.close();
  }
}

describe('deleteTestBus', () => {
  it("deletes every queue and exchange under the test's prefix, and nothing else", async () => {
    const mine = testBusPrefix();
    const other = testBusPrefix();
    await declare([`${mine}a.rpc`, `${mine}a.events.retry.500ms`, `${other}a.rpc`], [`${mine}crm.events`, `${other}crm.events`]);
    try {
      expect(await deleteTestBus(mine)).toEqual({ queues: 2, exchanges: 1, users: 0 });
      expect(await existing('queue', [`${mine}a.rpc`, `${mine}a.events.retry.500ms`, `${other}a.rpc`])).toEqual([false, false, true]);
      expect(await existing('exchange', [`${mine}crm.events`, `${other}crm.events`])).toEqual([false, true]);
    } finally {
      await deleteTestBus(other);
    }
  });

  it('deletes only the names given, without listing the broker, and only under the prefix', async () => {
    const mine = testBusPrefix();
    await declare([`${mine}a.rpc`, `${mine}b.rpc`], []);
    try {
      await deleteTestBus(mine, { names: { queues: [`${mine}a.rpc`] } });
      expect(await existing('queue', [`${mine}a.rpc`, `${mine}b.rpc`])).toEqual([false, true]);
      await expect(deleteTestBus(mine, { names: { queues: ['crm.events'] } })).rejects.toThrow(/not under the test's prefix/);
    } finally {
      await deleteTestBus(mine);
    }
  });

  it('gives up at its deadline with a warning, leaving the names to tools/clean-test-bus.sh, instead of failing or holding the test', async () => {
    const mine = testBusPrefix();
    await declare([`${mine}a.rpc`], [`${mine}crm.events`]);
    const warnings = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      // Listing the broker (rabbitmqctl) takes far longer than 1 ms.
      expect(await deleteTestBus(mine, { deadlineMs: 1 })).toEqual({ queues: 0, exchanges: 0, users: 0 });
      expect(warnings).toHaveBeenCalledWith(expect.stringMatching(new RegExp(`bus clean-up under ${mine.replace('.', '\\.')} did not finish in 1 ms`)));
    } finally {
      warnings.mockRestore();
    }
    expect(await existing('queue', [`${mine}a.rpc`])).toEqual([true]);
    expect(await deleteTestBus(mine)).toEqual({ queues: 1, exchanges: 1, users: 0 });
  });

  it('leaves no socket open once it returns (a half-closed one would hold jest past the last test)', async () => {
    const mine = testBusPrefix();
    await declare([`${mine}a.rpc`], []);
    // Settled: the sockets of declare() and of earlier tests are gone before counting.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const sockets = () => process.getActiveResourcesInfo().filter((type) => type === 'TCPSocketWrap').length;
    const before = sockets();
    await deleteTestBus(mine, { names: { queues: [`${mine}a.rpc`] } });
    expect(sockets()).toBe(before);
  });

  it('refuses an empty prefix, which would match every name on the broker', async () => {
    await expect(deleteTestBus('')).rejects.toThrow(/prefix/);
  });
});
