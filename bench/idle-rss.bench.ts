/**
 * Idle memory of each service on the production bundle, run as the Dockerfile runs it:
 *
 *   npm run bench:rss
 *
 * `nx build <app>` (nx's cache makes an unchanged build instant; BENCH_BUILD=0 reuses dist/),
 * then `node <the CMD's flags> dist/apps/<app>/main.js` with NODE_ENV=production and the
 * production variables (bench/support/crm-system.ts, runtime 'bundle'). Each service is read
 * (VmRSS, and its anonymous and file-backed parts, from /proc/<pid>/status) once it is ready and
 * BENCH_RSS_SETTLE_SECONDS (default 10) have passed; the gateway again after BENCH_RSS_LOAD_SECONDS
 * (default 10) of wrk on the echo route (32 connections) and the same settle time.
 * The same is measured in the same run under the source-mode runner (swc-node), which is how the
 * earlier figures were taken; BENCH_RSS_SOURCE=0 leaves it out.
 *
 * Target: <= 150 MiB per service. Writes bench/results/idle-rss.md.
 */
import 'reflect-metadata';
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { CrmSystem, SERVICES, ServiceName, startCrmSystem } from './support/crm-system';
import { dockerfileNodeRuntime } from './support/bundles';
import { fmt, log, sleep } from './support/processes';
import { ensureLoadTools, startWrk } from './support/wrk';

const SETTLE_SECONDS = Number(process.env['BENCH_RSS_SETTLE_SECONDS'] ?? 10);
const LOAD_SECONDS = Number(process.env['BENCH_RSS_LOAD_SECONDS'] ?? 10);
const WITH_SOURCE = process.env['BENCH_RSS_SOURCE'] !== '0';
const TARGET_MIB = 150;

interface Memory {
  rss: number;
  anon: number;
  file: number;
}

interface Reading {
  idle: Record<ServiceName, Memory>;
  gatewayAfterLoad: Memory;
  gatewayPeak: number;
  loadPerSecond: number;
}

/** VmRSS and its parts (RssAnon: heap and other private memory; RssFile: mapped files, the node binary's code among them), MiB. */
function memoryOf(pid: number | undefined): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) / 1024;
  return { rss: kib('VmRSS'), anon: kib('RssAnon'), file: kib('RssFile') };
}

async function signUp(gatewayUrl: string): Promise<string> {
  const response = await fetch(`${gatewayUrl}/api/v1/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ organization: 'Rss', name: 'Rss', email: `rss-${Date.now()}@example.com`, password: 'correct horse battery staple' }),
  });
  if (response.status !== 201) throw new Error(`signup failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { accessToken: string }).accessToken;
}

async function measure(runtime: 'bundle' | 'source'): Promise<Reading> {
  let system: CrmSystem | undefined;
  try {
    system = await startCrmSystem({ runtime });
    const running = system;
    const pid = (name: ServiceName) => running.processes[name].child.pid;
    log(`${runtime}: ready; ${SETTLE_SECONDS}s to settle`);
    await sleep(SETTLE_SECONDS * 1000);
    const idle = Object.fromEntries(SERVICES.map((name) => [name, memoryOf(pid(name))])) as Record<ServiceName, Memory>;

    const token = await signUp(running.gatewayUrl);
    log(`${runtime}: gateway under ${LOAD_SECONDS}s of wrk (echo route)`);
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, memoryOf(pid('api-gateway')).rss)), 200);
    const load = await startWrk({
      url: `${running.gatewayUrl}/api/v1/diagnostics/contacts/echo?payload=hello`,
      headers: { authorization: `Bearer ${token}` },
      seconds: LOAD_SECONDS,
    }).result;
    clearInterval(sampler);
    await sleep(SETTLE_SECONDS * 1000);
    return { idle, gatewayAfterLoad: memoryOf(pid('api-gateway')), gatewayPeak: peak, loadPerSecond: load.perSecond };
  } finally {
    await system?.close();
  }
}

async function main() {
  const started = Date.now();
  ensureLoadTools();
  const docker = dockerfileNodeRuntime();
  const bundle = await measure('bundle');
  const source = WITH_SOURCE ? await measure('source') : undefined;

  const cell = (m: Memory | undefined) => (m ? `${fmt(m.rss)} (${fmt(m.anon)} + ${fmt(m.file)})` : '-');
  const met = (m: Memory) => (m.rss <= TARGET_MIB ? 'yes' : '**no**');
  const lines = [
    '# Idle RSS per service',
    '',
    `${new Date().toISOString()}, Node ${process.version}, ${cpus().length} cores. Production bundle: \`nx build <app>\`, then ` +
      `\`node ${[...docker.args, 'dist/apps/<app>/main.js'].join(' ')}\` with ${Object.entries({ ...docker.env })
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')} (the Dockerfile's CMD and ENV) and the production variables. ` +
      `Read from /proc/<pid>/status ${SETTLE_SECONDS}s after the service answered /health/ready. ` +
      'Each cell: VmRSS MiB (RssAnon: heaps and private memory + RssFile: mapped files, the node binary among them).',
    '',
    `| service | production bundle (MiB) | ≤ ${TARGET_MIB} MiB | source-mode runner, swc-node (MiB) |`,
    '|---|---:|---|---:|',
    ...SERVICES.map((name) => `| ${name}, idle | ${cell(bundle.idle[name])} | ${met(bundle.idle[name])} | ${cell(source?.idle[name])} |`),
    `| api-gateway, ${SETTLE_SECONDS}s after ${LOAD_SECONDS}s of wrk on the echo route | ${cell(bundle.gatewayAfterLoad)} | ${met(bundle.gatewayAfterLoad)} | ${cell(source?.gatewayAfterLoad)} |`,
    `| api-gateway, peak during that load (sampled every 200 ms) | ${fmt(bundle.gatewayPeak)} |  | ${source ? fmt(source.gatewayPeak) : '-'} |`,
    '',
    `Echo load: ${fmt(bundle.loadPerSecond)} req/s on the bundle${source ? `, ${fmt(source.loadPerSecond)} req/s from source` : ''}.`,
    '',
    `Total run time ${((Date.now() - started) / 1000).toFixed(0)} s. Command: \`npm run bench:rss\`.`,
  ];
  const report = lines.join('\n') + '\n';
  console.log(report);
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(join(__dirname, 'results', 'idle-rss.md'), report);
  log('written bench/results/idle-rss.md');
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
