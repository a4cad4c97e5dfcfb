import { createServer, Server } from 'node:net';
import { findUnreachable } from './dependency-preflight';

describe('findUnreachable', () => {
  let server: Server;
  let openPort: number;

  beforeAll(async () => {
    server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    openPort = (server.address() as { port: number }).port;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('reports nothing when every server answers', async () => {
    expect(await findUnreachable([{ name: 'Redis', url: `redis://127.0.0.1:${openPort}` }])).toEqual([]);
  });

  it('names the server, address and reason when one does not answer', async () => {
    const closedPort = await unusedPort();
    const lines = await findUnreachable([
      {
        name: 'Postgres',
        url: `postgresql://postgres@127.0.0.1:${closedPort}/crm_contacts`,
      },
      { name: 'Redis', url: `redis://127.0.0.1:${openPort}` },
    ]);
    expect(lines).toEqual([`Postgres is not reachable at 127.0.0.1:${closedPort} (ECONNREFUSED)`]);
  });
});

async function unusedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
