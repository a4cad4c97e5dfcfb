import type { RedisClientType } from '@redis/client';
import type { HoldingProxy } from '@crm/testing';
import { SharedDeadline } from './shared-deadline';
import { RedisBehindProxy, redisBehindProxy } from '../testing/redis-behind-proxy';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** When the promise settled (performance.now()), and how. */
const settled = (promise: Promise<unknown>) =>
  promise.then(
    (value) => ({ at: performance.now(), value, error: undefined }),
    (error: Error) => ({ at: performance.now(), value: undefined, error }),
  );

describe('SharedDeadline', () => {
  let behindProxy: RedisBehindProxy<RedisClientType>;
  let proxy: HoldingProxy;
  let client: RedisClientType;

  beforeEach(async () => {
    behindProxy = await redisBehindProxy();
    ({ proxy, redis: client } = behindProxy);
  });

  afterEach(() => behindProxy.close());

  it('answers commands as the client does while Redis answers', async () => {
    const deadline = new SharedDeadline(1_000);
    expect(await deadline.bound(client.ping())).toBe('PONG');
    expect(await deadline.bound(client.echo('hello'))).toBe('hello');
  });

  it("fails a command that was written and not answered (node-redis's own timeout lets it wait)", async () => {
    const deadline = new SharedDeadline(300, 50);
    proxy.hold();
    const timed = client.withCommandOptions({ timeout: 300 });
    const unbounded = settled(Promise.race([timed.ping(), sleep(1_500).then(() => 'still waiting')]));
    const bounded = settled(deadline.bound(client.ping()));
    expect((await bounded).error?.name).toBe('RedisDeadlineError');
    expect((await unbounded).value).toBe('still waiting');
    proxy.release();
  });

  it('fails the commands of a window together at its deadline when Redis stops answering', async () => {
    const deadline = new SharedDeadline(400, 350);
    proxy.hold();
    const first = settled(deadline.bound(client.ping()));
    await sleep(200);
    const second = settled(deadline.bound(client.ping()));
    const [a, b] = await Promise.all([first, second]);
    expect(a.error?.name).toBe('RedisDeadlineError');
    expect(b.error?.name).toBe('RedisDeadlineError');
    // One deadline: the second, sent 200 ms later, failed with the first (its own 400 ms would end 200 ms after).
    expect(Math.abs(a.at - b.at)).toBeLessThan(100);
  });

  it('gives a later window a deadline of its own, and leaves the client usable after one', async () => {
    const deadline = new SharedDeadline(300, 50);
    proxy.hold();
    expect((await settled(deadline.bound(client.ping()))).error?.name).toBe('RedisDeadlineError');
    proxy.release();
    expect(await deadline.bound(client.echo('after'))).toBe('after');
    proxy.hold();
    // The first window's timer has fired: a command now needs a timer of its window's.
    expect((await settled(deadline.bound(client.ping()))).error?.name).toBe('RedisDeadlineError');
    proxy.release();
  });

  it('refuses a window as long as the deadline (it would take commands after its timer fired)', () => {
    expect(() => new SharedDeadline(100, 100)).toThrow(/window/);
  });
});
