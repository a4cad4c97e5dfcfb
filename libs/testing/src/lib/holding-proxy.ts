import { connect, createServer, Server, Socket } from 'node:net';

/**
 * A TCP proxy in front of a real server (Redis, here) that can hold the server's answers back: a
 * server that hangs with the connection open, as its client sees it, without pausing a server
 * other tests share. Released, it passes on what it held, in order, as a server that was only
 * slow would.
 */
export class HoldingProxy {
  private held: Array<() => void> | undefined;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  /** `target`: the server's URL, with its port. */
  constructor(private readonly target: URL) {
    this.server = createServer((client) => {
      const upstream = connect(Number(target.port), target.hostname);
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

  /** Starts listening; the proxy's URL: the target's, with this proxy's host and port. */
  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const url = new URL(this.target);
    url.hostname = '127.0.0.1';
    url.port = String((this.server.address() as { port: number }).port);
    return url.toString();
  }

  /** From now on, the server's answers wait in the proxy. */
  hold(): void {
    this.held ??= [];
  }

  /** Passes on what was held, and what comes next at once. */
  release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const write of held) write();
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
