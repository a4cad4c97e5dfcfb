import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { Client } from 'pg';
import { deleteTestBus, type TestEnv } from '@crm/testing';
import { ROOT, appNames, envPrefix } from './workspace';

/**
 * `npm run start:all` (tools/start-all.sh) as a developer runs it, isolated: its own ports,
 * throwaway databases (the script creates and migrates them) and bus prefix, so it runs beside
 * anything else on this machine. Started in its own process group, so SIGINT to the group is what
 * a terminal's Ctrl-C sends. `cleanup()` kills what is left, drops the databases, deletes the bus objects.
 */
export class LocalSystem {
  readonly apps = appNames();
  readonly run = randomBytes(5).toString('hex');
  /** The test prefix tools/clean-test-bus.sh also recognises. */
  readonly busPrefix = `t${this.run}.`;
  readonly databases: Record<string, string>;
  ports: Record<string, number> = {};
  /** Each app's internal port (metrics, readiness details), given as <APP>_INTERNAL_PORT. */
  internalPorts: Record<string, number> = {};
  /** The maildev start-all runs when SALES_AUTOMATION_SMTP_URL is not set. */
  mailPorts = { smtp: 0, web: 0 };
  /** The support-tickets service's inbound SMTP listener. */
  supportSmtpPort = 0;
  output = '';
  child: ChildProcess | undefined;
  /** The script's exit code, once it exits. */
  exited: Promise<number | null> = Promise.resolve(null);

  /** `databaseTag` names the throwaway databases (`crm_<tag><run>_<app>`), to tell whose they are. */
  constructor(
    private readonly env: TestEnv,
    databaseTag: string,
  ) {
    this.databases = Object.fromEntries(this.apps.map((app) => [app, `crm_${databaseTag}${this.run}_${app.replace(/-/g, '_')}`]));
  }

  /** Starts the script; `extraEnv` adds or overrides variables (e.g. a gateway setting). */
  async start(extraEnv: Record<string, string> = {}): Promise<void> {
    // All at once: ports asked for one after another may repeat (a port is free again once its probe closes).
    const ports = await freePorts(this.apps.length * 2 + 3);
    this.ports = Object.fromEntries(this.apps.map((app) => [app, ports.pop() as number]));
    this.internalPorts = Object.fromEntries(this.apps.map((app) => [app, ports.pop() as number]));
    this.mailPorts = { smtp: ports.pop() as number, web: ports.pop() as number };
    this.supportSmtpPort = ports.pop() as number;
    const childEnv: Record<string, string | undefined> = {
      ...process.env,
      PORT: undefined,
      INTERNAL_PORT: undefined,
    };
    for (const app of this.apps) {
      childEnv[`${envPrefix(app)}_PORT`] = String(this.ports[app]);
      childEnv[`${envPrefix(app)}_INTERNAL_PORT`] = String(this.internalPorts[app]);
      childEnv[`${envPrefix(app)}_DATABASE_URL`] = Object.assign(new URL(this.env.postgresUrl), { pathname: `/${this.databases[app]}` }).toString();
    }
    Object.assign(childEnv, {
      BUS_NAME_PREFIX: this.busPrefix,
      RABBITMQ_URL: this.env.rabbitmqUrl,
      REDIS_URL: this.env.redisUrl,
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      // Every test request comes from 127.0.0.1: the gateway's per-IP limits of public routes
      // would soon refuse the sign-ups and logins of the tests (a test of those limits sets its own).
      GATEWAY_PUBLIC_RATE_LIMIT_PER_IP: '100000',
      GATEWAY_SIGNUP_RATE_LIMIT_PER_IP: '100000',
      // The mail catcher start-all runs when no SMTP server is configured: on free ports too.
      START_ALL_MAILDEV_SMTP_PORT: String(this.mailPorts.smtp),
      START_ALL_MAILDEV_WEB_PORT: String(this.mailPorts.web),
      SUPPORT_TICKETS_INBOUND_SMTP_PORT: String(this.supportSmtpPort),
      SUPPORT_TICKETS_INBOUND_SMTP_HOST: '127.0.0.1',
      ...extraEnv,
    });
    const child = spawn('bash', ['tools/start-all.sh'], {
      cwd: ROOT,
      env: childEnv,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout?.on('data', (d) => (this.output += d));
    child.stderr?.on('data', (d) => (this.output += d));
    this.exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  }

  /** A bounded wait, not a timed assertion: until every app answers ready, or the script ends. Throws with the output otherwise. */
  async waitUntilReady(timeoutMs: number): Promise<void> {
    const child = this.child;
    if (!child) throw new Error('not started');
    const deadline = Date.now() + timeoutMs;
    const ready = new Set<string>();
    while (ready.size < this.apps.length && Date.now() < deadline && child.exitCode === null) {
      for (const app of this.apps) if (!ready.has(app) && (await isReady(this.ports[app]))) ready.add(app);
      if (ready.size < this.apps.length) await new Promise((r) => setTimeout(r, 500));
    }
    if (ready.size < this.apps.length) {
      throw new Error(`not ready: ${this.apps.filter((a) => !ready.has(a)).join(', ')} (script exit ${child.exitCode})\n${this.output}`);
    }
  }

  url(app: string): string {
    return `http://127.0.0.1:${this.ports[app]}`;
  }

  /** The app's internal port: metrics and readiness details. */
  internalUrl(app: string): string {
    return `http://127.0.0.1:${this.internalPorts[app]}`;
  }

  /** The apps' process ids, as the script announced them. */
  pids(): Record<string, number> {
    return Object.fromEntries([...this.output.matchAll(/\[start-all\] started (\S+) \(pid (\d+)\)/g)].map((m) => [m[1], Number(m[2])]));
  }

  /** Ctrl-C: SIGINT to the script's process group. */
  interrupt(): void {
    if (this.child?.pid) process.kill(-this.child.pid, 'SIGINT');
  }

  /** Ctrl-C, then up to `timeoutMs` for the script to stop its apps and exit (cleanup() kills what is left). */
  async stop(timeoutMs: number): Promise<void> {
    if (!this.running) return;
    this.interrupt();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.exited, new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  async cleanup(): Promise<void> {
    if (this.running && this.child?.pid) process.kill(-this.child.pid, 'SIGKILL');
    await withAdmin(this.env, async (client) => {
      for (const name of Object.values(this.databases)) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    });
    // start-all.sh created one broker user per app under the run's prefix (tools/bus-users.sh).
    await deleteTestBus(this.busPrefix, { users: true, rabbitmqUrl: this.env.rabbitmqUrl });
  }
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** `count` distinct free ports: every probe listens until all have a port, so none is handed out twice. */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Server>((resolve, reject) => {
          const server = createServer().listen(0, '127.0.0.1', () => resolve(server));
          server.on('error', reject);
        }),
    ),
  );
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

async function isReady(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/health/ready`, {
      signal: AbortSignal.timeout(2_000),
    });
    return response.status === 200;
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
