import { ChildProcess, fork, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

/** Helpers to run services as separate processes in a benchmark (as bench/gateway.bench.ts does). */

export const root = join(__dirname, '..', '..');
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const log = (...args: unknown[]) => console.error(`[bench ${new Date().toISOString().slice(11, 23)}]`, ...args);

export interface Child {
  name: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * The services' stdout (their JSON logs, and what `--trace-gc` prints): dropped, or shown with
 * BENCH_SERVICE_STDOUT=1 (e.g. to read GC traces under load).
 */
const serviceStdout = (): 'ignore' | 'inherit' => (process.env['BENCH_SERVICE_STDOUT'] === '1' ? 'inherit' : 'ignore');

/** A TypeScript entry point in its own Node process (swc-node), stderr shown, stdout dropped (see serviceStdout). */
export function start(
  name: string,
  entry: string,
  project: string,
  env: Record<string, string>,
  execArgv: string[] = [],
  stdout: 'ignore' | 'pipe' = 'ignore',
): Child {
  const child = fork(join(root, entry), [], {
    cwd: root,
    execArgv: ['-r', '@swc-node/register', ...execArgv],
    env: { ...process.env, ...env, SWC_NODE_PROJECT: join(root, project) },
    stdio: ['ignore', stdout === 'pipe' ? 'pipe' : serviceStdout(), 'inherit', 'ipc'],
  });
  return stoppable(name, child);
}

/** A built bundle (`dist/apps/<app>/main.js`) run by plain node, as the Dockerfile's CMD runs it. */
export function startBundle(name: string, entry: string, env: Record<string, string>, nodeArgs: string[] = []): Child {
  const child = spawn(process.execPath, [...nodeArgs, join(root, entry)], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', serviceStdout(), 'inherit'],
  });
  return stoppable(name, child);
}

function stoppable(name: string, child: ChildProcess): Child {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    name,
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** Ports this process has handed out: a probe's port is free again once it closes, and the OS may offer it twice. */
const handedOut = new Set<number>();

/** A free port on 127.0.0.1, never one handed out before in this process. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    return port;
  }
}

/** Until `check` passes or the child dies. */
export async function until(what: string, proc: Child, check: () => Promise<boolean>, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.child.exitCode !== null) throw new Error(`${proc.name} exited (${proc.child.exitCode}) before ${what}`);
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await sleep(250);
  }
}

/** Resident memory of a process in MiB (VmRSS), NaN when it is gone. */
export function rssMiB(pid: number | undefined): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** CPU time (user + system) a process has used, in seconds; NaN when it is gone. */
export function cpuSeconds(pid: number | undefined): number {
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** Busy and total CPU time of the whole machine so far (all cores), in seconds. */
function machineCpu(): { busy: number; total: number } {
  const values = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = values.reduce((a, b) => a + b, 0);
  const idle = values[3] + (values[4] ?? 0);
  return { busy: (total - idle) / 100, total: total / 100 };
}

export interface Usage<T> {
  result: T;
  /** Highest VmRSS per process (MiB), sampled every 200 ms. */
  peakRss: Record<string, number>;
  /** CPU used per process while `during` ran, in % of one core. */
  cpu: Record<string, number>;
  /** The whole machine's busy time, in % of all cores: anything else busy (Postgres, RabbitMQ, the load generator, other work). */
  machineBusy: number;
}

/** What each process used while `during` ran: peak memory and CPU. */
export async function usage<T>(pids: Record<string, number | undefined>, during: () => Promise<T>): Promise<Usage<T>> {
  const peakRss: Record<string, number> = Object.fromEntries(Object.keys(pids).map((name) => [name, 0]));
  const sample = () => {
    for (const [name, pid] of Object.entries(pids)) peakRss[name] = Math.max(peakRss[name], rssMiB(pid) || 0);
  };
  const cpu0 = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuSeconds(pid)]));
  const machine0 = machineCpu();
  const t0 = performance.now();
  const timer = setInterval(sample, 200);
  try {
    const result = await during();
    sample();
    const seconds = (performance.now() - t0) / 1000;
    const machine1 = machineCpu();
    const cpu = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, ((cpuSeconds(pid) - cpu0[name]) / seconds) * 100]));
    return { result, peakRss, cpu, machineBusy: ((machine1.busy - machine0.busy) / (machine1.total - machine0.total)) * 100 };
  } finally {
    clearInterval(timer);
  }
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export const fmt = (n: number, digits = 0) =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a';
