import { AsyncLocalStorage } from 'node:async_hooks';
import { ClsService } from 'nestjs-cls';
import { PollingLoop } from './polling-loop';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PollingLoop', () => {
  const cls = new ClsService(new AsyncLocalStorage());

  it('runs passes one at a time, every interval after the previous one ended, until stopped', async () => {
    let running = 0;
    let overlapped = false;
    let passes = 0;
    const loop = new PollingLoop('test', cls, 20, async () => {
      overlapped ||= running > 0;
      running++;
      await tick(30);
      running--;
      passes++;
    });
    loop.start();
    await tick(250);
    loop.stop();
    const atStop = passes;
    await tick(100);
    expect(overlapped).toBe(false);
    expect(atStop).toBeGreaterThanOrEqual(3);
    expect(passes - atStop).toBeLessThanOrEqual(1);
  });

  it('soon() runs the next pass shortly, outside the CLS context it was called from (a committed transaction must not leak into later passes)', async () => {
    const seen: (string | undefined)[] = [];
    const loop = new PollingLoop('test', cls, 60_000, async () => {
      seen.push(cls.isActive() ? cls.get<string>('tx') : undefined);
    });
    loop.start();
    await cls.run(async () => {
      cls.set('tx', 'committed-transaction');
      loop.soon(10);
    });
    await tick(100);
    loop.stop();
    expect(seen).toEqual([undefined]);
  });

  it('soon() before start() does nothing, and a failing pass does not stop the loop', async () => {
    let passes = 0;
    const loop = new PollingLoop('test', cls, 20, async () => {
      passes++;
      throw new Error('boom');
    }, { error: () => undefined } as never);
    loop.soon(1);
    await tick(50);
    expect(passes).toBe(0);
    loop.start();
    await tick(150);
    loop.stop();
    expect(passes).toBeGreaterThanOrEqual(2);
  });
});
