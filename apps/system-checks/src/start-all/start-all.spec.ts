import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Client } from 'pg';
import { testEnv, TestEnv } from '@crm/testing';
import { ROOT, appNames, envPrefix } from '../support/workspace';
import { deleteBusObjects } from './bus-cleanup';

// `npm run start:all` as a developer runs it, isolated: its own ports, throwaway databases (the
// script creates and migrates them) and bus prefix, so it runs beside anything else on this machine.
const READY_WAIT_MS = 150_000;
const apps = appNames();
const run = randomBytes(5).toString('hex');
const busPrefix = `t${run}.`; // the test prefix tools/clean-test-bus.sh also recognises
const databases = Object.fromEntries(apps.map((app) => [app, `crm_sc${run}_${app.replace(/-/g, '_')}`]));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function isReady(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(2_000) });
    return response.status === 200;
  } catch {
    return false;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function withAdmin<T>(env: TestEnv, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: env.postgresUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

describe('npm run start:all (tools/start-all.sh)', () => {
  let env: TestEnv;
  let script: ChildProcess | undefined;
  let output = '';

  beforeAll(async () => {
    env = await testEnv();
  });

  afterAll(async () => {
    if (script?.pid && script.exitCode === null && script.signalCode === null) process.kill(-script.pid, 'SIGKILL');
    await withAdmin(env, async (client) => {
      for (const name of Object.values(databases)) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    });
    await deleteBusObjects(env.rabbitmqUrl, busPrefix);
  }, 180_000);

  it('starts every app until ready; Ctrl-C stops them all and exits 0', async () => {
    const ports = Object.fromEntries(await Promise.all(apps.map(async (app) => [app, await freePort()] as const)));
    const childEnv: Record<string, string | undefined> = { ...process.env, PORT: undefined };
    for (const app of apps) {
      childEnv[`${envPrefix(app)}_PORT`] = String(ports[app]);
      childEnv[`${envPrefix(app)}_DATABASE_URL`] = Object.assign(new URL(env.postgresUrl), { pathname: `/${databases[app]}` }).toString();
    }
    Object.assign(childEnv, { BUS_NAME_PREFIX: busPrefix, RABBITMQ_URL: env.rabbitmqUrl, REDIS_URL: env.redisUrl, NODE_ENV: 'development', LOG_LEVEL: 'warn' });

    // Its own process group, so SIGINT to the group is what a terminal's Ctrl-C sends.
    const child = spawn('bash', ['tools/start-all.sh'], { cwd: ROOT, env: childEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    script = child;
    child.stdout?.on('data', (d) => (output += d));
    child.stderr?.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

    // A bounded wait, not a timed assertion: until every app answers ready, or the script ends.
    const deadline = Date.now() + READY_WAIT_MS;
    const ready = new Set<string>();
    while (ready.size < apps.length && Date.now() < deadline && child.exitCode === null) {
      for (const app of apps) if (!ready.has(app) && (await isReady(ports[app]))) ready.add(app);
      if (ready.size < apps.length) await new Promise((r) => setTimeout(r, 500));
    }
    if (ready.size < apps.length) {
      throw new Error(`not ready: ${apps.filter((a) => !ready.has(a)).join(', ')} (script exit ${child.exitCode})\n${output}`);
    }

    const pids = Object.fromEntries([...output.matchAll(/\[start-all\] started (\S+) \(pid (\d+)\)/g)].map((m) => [m[1], Number(m[2])]));
    expect(Object.keys(pids).sort()).toEqual(apps);

    process.kill(-(child.pid as number), 'SIGINT');
    const code = await exited;

    expect({ code, output: code === 0 ? '' : output }).toEqual({ code: 0, output: '' });
    expect(apps.filter((app) => alive(pids[app]))).toEqual([]);
    for (const app of apps) expect(output).toContain(`[start-all] stopped ${app} (pid ${pids[app]})`);
    expect(output).not.toContain('did not stop in time');
  }, READY_WAIT_MS + 90_000);
});
