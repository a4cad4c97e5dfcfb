import { connect, createServer, Server, Socket } from 'node:net';
import { createClient, RedisClientType } from '@redis/client';
import { SharedDeadline } from './shared-deadline';

/**
 * A TCP proxy in front of the real Redis that can hold Redis' answers back: a server that hangs,
 * as the client sees it, without pausing the Redis other tests share. Thawed, it passes on what
 * it held, in order, as a server that was only slow would.
 */
class FreezableProxy {
  private held: Array<() => void> | undefined;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  constructor(target: URL) {
    this.server = createServer((client) => {
      const upstream = connect(Number(target.port || 6379), target.hostname);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('error', () => socket.destroy());
        socket.on('close', () => this.sockets.delete(socket));
      }
      client.pipe(upstream);
      upstream.on('data', (chunk: Buffer) => (this.held ? this.held.push(() => client.write(chunk)) : client.write(chunk)));
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
  }

  freeze(): void {
    this.held ??= [];
  }

  thaw(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const write of held) write();
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `redis://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** When the promise settled (performance.now()), and how. */
const settled = (promise: Promise<unknown>) =>
  promise.then(
    (value) => ({ at: performance.now(), value, error: undefined }),
    (error: Error) => ({ at: performance.now(), value: undefined, error }),
  );

describe('SharedDeadline', () => {
  let proxy: FreezableProxy;
  let client: RedisClientType;

  beforeEach(async () => {
    proxy = new FreezableProxy(new URL(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379'));
    client = createClient({ url: await proxy.listen() });
    await client.connect();
  });

  afterEach(async () => {
    client.destroy();
    await proxy.close();
  });

  it('answers commands as the client does while Redis answers', async () => {
    const deadline = new SharedDeadline(1_000);
    expect(await deadline.bound(client.ping())).toBe('PONG');
    expect(await deadline.bound(client.echo('hello'))).toBe('hello');
  });

  it("fails a command that was written and not answered (node-redis's own timeout lets it wait)", async () => {
    const deadline = new SharedDeadline(300, 50);
    proxy.freeze();
    const timed = client.withCommandOptions({ timeout: 300 });
    const unbounded = settled(Promise.race([timed.ping(), sleep(1_500).then(() => 'still waiting')]));
    const bounded = settled(deadline.bound(client.ping()));
    expect((await bounded).error?.name).toBe('RedisDeadlineError');
    expect((await unbounded).value).toBe('still waiting');
    proxy.thaw();
  });

  it('fails the commands of a window together at its deadline when Redis stops answering', async () => {
    const deadline = new SharedDeadline(400, 350);
    proxy.freeze();
    const first = settled(deadline.bound(client.ping()));
    await sleep(200);
    const second = settled(deadline.bound(client.ping()));
    const [a, b] = await Promise.all([first, second]);
    expect(a.error?.name).toBe('RedisDeadlineError');
    expect(b.error?.name).toBe('RedisDeadlineError');
    // One deadline: the second, sent 200 ms later, failed with the first (its own 400 ms would end 200 ms after).
    expect(Math.abs(a.at - b.at)).toBeLessThan(100);
  });

  it('gives a later window a deadline of its own', async () => {
    const deadline = new SharedDeadline(300, 50);
    proxy.freeze();
    const stuck = settled(deadline.bound(client.ping()));
    expect((await stuck).error?.name).toBe('RedisDeadlineError');
    proxy.thaw();
    // The first window's expiry has fired: a command now must not inherit it.
    expect(await deadline.bound(client.echo('after'))).toBe('after');
  });

  it('refuses a window as long as the deadline (a window could then hand out an expiry that has fired)', () => {
    expect(() => new SharedDeadline(100, 100)).toThrow(/window/);
  });
});
