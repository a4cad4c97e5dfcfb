import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { log } from './processes';

/**
 * HTTP load from wrk (the Debian package), in its own process: the load generator's CPU is then
 * a process of its own that pidstat reports apart. Requests are shaped by a Lua script (headers,
 * rotating paths, POST bodies); the script's `done` prints the summary as one JSON line.
 */

export interface WrkLoad {
  /** Origin and first path, e.g. http://127.0.0.1:3000/api/v1/contacts/1. */
  url: string;
  headers?: Record<string, string>;
  method?: 'GET' | 'POST';
  /** Paths the requests rotate through (default: the url's path). */
  paths?: string[];
  /**
   * A Lua expression for each request's body, with `n` a number unique to the request (per
   * thread counter × threads + thread index) and `run` a string unique to this wrk run, e.g.
   * `'{"firstName":"B' .. run .. n .. '"}'`.
   */
  bodyLua?: string;
  /** Lua statements run once per thread before any request (e.g. tables `bodyLua` indexes). */
  preludeLua?: string;
  connections?: number;
  threads?: number;
  seconds: number;
}

export interface WrkResult {
  requests: number;
  seconds: number;
  perSecond: number;
  /** Latency percentiles in ms. */
  p50: number;
  p99: number;
  /** The tail beyond p99, for the log (where a p99 target is missed: spread or a few stalls). */
  tail: { p90: number; p999: number; max: number };
  /** Socket errors (connect, read, write, timeout). */
  errors: number;
  /** Answers with status above 399 (wrk's `errors.status`). */
  non2xx: number;
}

/** Installs wrk (and pidstat's sysstat) when missing, or says what is missing. */
export function ensureLoadTools(): void {
  const missing = ['wrk', 'pidstat'].filter((tool) => !onPath(tool));
  if (!missing.length) return;
  const packages = missing.map((tool) => (tool === 'pidstat' ? 'sysstat' : tool));
  log(`${missing.join(' and ')} missing: apt-get install -y ${packages.join(' ')}`);
  try {
    execFileSync('sh', ['-c', `apt-get update -qq && apt-get install -y -qq ${packages.join(' ')}`], { stdio: ['ignore', 'ignore', 'inherit'] });
  } catch {
    throw new Error(
      `the benchmark needs ${missing.join(' and ')}: install the Debian package(s) ${packages.join(' ')} (apt-get install -y ${packages.join(' ')})`,
    );
  }
  const still = missing.filter((tool) => !onPath(tool));
  if (still.length) throw new Error(`still missing after apt-get: ${still.join(', ')}`);
}

function onPath(tool: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const lua = (s: string) => JSON.stringify(s); // a JSON string is a valid Lua string literal for ASCII

function script(load: WrkLoad): string {
  const base = new URL(load.url);
  const paths = load.paths?.length ? load.paths : [base.pathname + base.search];
  // A body is JSON unless the load names its own content-type (a raw email).
  const headers = { ...(load.bodyLua && { 'content-type': 'application/json' }), ...load.headers };
  return [
    `wrk.method = ${lua(load.method ?? 'GET')}`,
    ...Object.entries(headers).map(([name, value]) => `wrk.headers[${lua(name)}] = ${lua(value)}`),
    `local paths = { ${paths.map(lua).join(', ')} }`,
    `local run = ${lua(randomBytes(4).toString('hex'))}`,
    ...(load.preludeLua ? [load.preludeLua] : []),
    // Each thread gets its own index (setup runs in the main state, init in the thread's).
    'local threads, count = 0, 0',
    'function setup(thread) thread:set("index", threads); threads = threads + 1 end',
    'local i, step, offset = 0, 1, 0',
    `function init(args) offset = index or 0; step = ${load.threads ?? 2}; i = offset end`,
    'function request()',
    '  i = i + step',
    // i (offset + k × step) rather than k: the threads ask for different paths at the same moment (a write path's row lock would queue them).
    '  local path = paths[(i % #paths) + 1]',
    load.bodyLua ? `  local n = i; return wrk.format(nil, path, nil, ${load.bodyLua})` : '  return wrk.format(nil, path)',
    'end',
    'function done(summary, latency, requests)',
    '  io.write(string.format(\'WRK_JSON {"requests":%d,"micros":%d,"p50":%d,"p90":%d,"p99":%d,"p999":%d,"max":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d,"status":%d}\\n\',',
    '    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9), latency.max,',
    '    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout, summary.errors.status))',
    'end',
  ].join('\n');
}

export interface RunningWrk {
  pid: number;
  result: Promise<WrkResult>;
}

/** Starts wrk; `pid` is known at once (for pidstat), `result` when it is done. */
export function startWrk(load: WrkLoad): RunningWrk {
  const dir = mkdtempSync(join(tmpdir(), 'bench-wrk-'));
  const file = join(dir, 'load.lua');
  writeFileSync(file, script(load));
  const origin = new URL(load.url).origin;
  const args = ['-t', String(load.threads ?? 2), '-c', String(load.connections ?? 32), '-d', `${load.seconds}s`, '--timeout', '10s', '-s', file, origin];
  const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  child.stderr.on('data', (chunk) => (err += chunk));
  const result = new Promise<WrkResult>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      rmSync(dir, { recursive: true, force: true });
      const line = /WRK_JSON (\{.*\})/.exec(out);
      if (code !== 0 || !line) return reject(new Error(`wrk exited ${code}: ${err || out}`));
      const r = JSON.parse(line[1]) as Record<string, number>;
      const seconds = r['micros'] / 1e6;
      resolve({
        requests: r['requests'],
        seconds,
        perSecond: r['requests'] / seconds,
        p50: r['p50'] / 1000,
        p99: r['p99'] / 1000,
        tail: { p90: r['p90'] / 1000, p999: r['p999'] / 1000, max: r['max'] / 1000 },
        errors: r['connect'] + r['read'] + r['write'] + r['timeout'],
        non2xx: r['status'],
      });
    });
  });
  return { pid: child.pid as number, result };
}

/** A warm-up run then the measured one; `during` runs alongside the measured one (e.g. pidstat). */
export async function wrk<T>(
  name: string,
  load: WrkLoad,
  warmupSeconds: number,
  during: (pid: number, seconds: number) => Promise<T>,
): Promise<{ result: WrkResult; during: T }> {
  if (warmupSeconds > 0) {
    log(`${name}: ${warmupSeconds}s warm-up`);
    await startWrk({ ...load, seconds: warmupSeconds }).result;
  }
  log(`${name}: ${load.seconds}s, ${load.connections ?? 32} connections (wrk)`);
  const running = startWrk(load);
  const [result, alongside] = await Promise.all([running.result, during(running.pid, load.seconds)]);
  const { p90, p999, max } = result.tail;
  log(`${name}: ${Math.round(result.perSecond)} req/s, latency p50 ${result.p50} p90 ${p90} p99 ${result.p99} p99.9 ${p999} max ${max} ms`);
  return { result, during: alongside };
}
