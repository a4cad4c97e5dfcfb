import { NoConsumersError, RemoteError, RpcClient, RpcTimeoutError } from '../src';
import { labEcho, labFail, labSlow } from './lab/lab.contracts';
import { LabWorld, newLabWorld } from './lab/fixture';

describe('request/reply', () => {
  let world: LabWorld;
  afterEach(() => world?.close());

  it('answers a query through the service queue', async () => {
    world = await newLabWorld();
    await world.consumer({ instance: 'a' });
    const client = (await world.publisher()).get(RpcClient);
    await expect(client.call(labEcho, { payload: 'hello' })).resolves.toEqual({ payload: 'hello', service: 'a' });
  });

  it('surfaces a timeout as a typed error and never hangs', async () => {
    world = await newLabWorld();
    await world.consumer();
    const client = (await world.publisher()).get(RpcClient);
    const started = Date.now();
    const error = await client.call(labSlow, { ms: 2_000 }, { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcTimeoutError);
    expect((error as RpcTimeoutError).code).toBe('RPC_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('says at once when nobody consumes the queue', async () => {
    world = await newLabWorld();
    const client = (await world.publisher()).get(RpcClient);
    await expect(client.call(labEcho, { payload: 'x' }, { timeoutMs: 5_000 })).rejects.toBeInstanceOf(NoConsumersError);
  });

  it('shares the load between two consumers of one queue', async () => {
    world = await newLabWorld();
    await world.consumer({ instance: 'a' });
    await world.consumer({ instance: 'b' });
    const client = (await world.publisher()).get(RpcClient);
    const replies = await Promise.all(Array.from({ length: 40 }, () => client.call(labSlow, { ms: 20 })));
    const byInstance = replies.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.instance]: (acc[r.instance] ?? 0) + 1 }), {});
    expect(Object.keys(byInstance).sort()).toEqual(['a', 'b']);
    expect(byInstance['a']).toBeGreaterThanOrEqual(5);
    expect(byInstance['b']).toBeGreaterThanOrEqual(5);
  });

  it('carries domain errors with their codes, validates requests, and hides internals', async () => {
    world = await newLabWorld();
    await world.consumer();
    const client = (await world.publisher()).get(RpcClient);
    await expect(client.call(labFail, { code: 'NOT_FOUND' })).rejects.toMatchObject({
      constructor: RemoteError,
      code: 'NOT_FOUND',
      message: 'lab says NOT_FOUND',
      details: { reason: 'test' },
    });
    const crash = (await client.call(labFail, { code: 'CRASH' }).catch((e: unknown) => e)) as RemoteError;
    expect(crash.code).toBe('INTERNAL');
    expect(JSON.stringify({ message: crash.message, details: crash.details })).not.toContain('secret');
    // the client refuses a request that breaks the contract before it reaches the bus
    await expect(client.call(labSlow, { ms: -1 })).rejects.toMatchObject({ code: 'CONTRACT_VIOLATION' });
  });
});
