import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { log, root } from './processes';

/** The production bundles (`nx build <app>`), as the Dockerfile's build stage makes them. */

export const bundleOf = (app: string) => `dist/apps/${app}/main.js`;

/**
 * Builds the apps' bundles (nx's cache makes a repeat of an unchanged build a few seconds).
 * BENCH_BUILD=0 reuses what dist/ holds (fails if a bundle is missing).
 */
export function ensureBundles(apps: readonly string[]): void {
  if (process.env['BENCH_BUILD'] === '0') {
    const missing = apps.filter((app) => !existsSync(join(root, bundleOf(app))));
    if (missing.length) throw new Error(`BENCH_BUILD=0 but no bundle for ${missing.join(', ')}: run \`npx nx build <app>\``);
    return;
  }
  log(`building ${apps.join(', ')} (npx nx run-many -t build)`);
  execFileSync('npx', ['nx', 'run-many', '-t', 'build', '-p', ...apps, '--outputStyle=static'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NX_DAEMON: 'false' },
  });
}

/**
 * The node flags the Dockerfile's CMD gives the app (`exec node <flags> main.js`) and the
 * NODE_OPTIONS its runtime stage sets, so that a benchmark runs the bundle exactly as the image does.
 */
export function dockerfileNodeRuntime(): { args: string[]; env: Record<string, string> } {
  const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  const cmd = /exec node\s+((?:-\S+\s+)*)main\.js/.exec(runtime);
  if (!cmd) throw new Error('Dockerfile: no `exec node [flags] main.js` in the runtime stage CMD');
  const env: Record<string, string> = {};
  for (const line of runtime.split('\n').filter((l) => /^ENV\s/.test(l))) {
    for (const m of line.slice(4).matchAll(/(\w+)=("[^"]*"|'[^']*'|\S+)/g)) env[m[1]] = m[2].replace(/^["']|["']$/g, '');
  }
  // The image's own paths and build args mean nothing here; keep what tunes node and its allocator.
  const kept = Object.fromEntries(Object.entries(env).filter(([name]) => ['NODE_OPTIONS', 'NODE_ENV'].includes(name) || name.startsWith('MALLOC_')));
  return { args: cmd[1].trim().split(/\s+/).filter(Boolean), env: kept };
}

/**
 * The NODE_OPTIONS an app's Kubernetes manifest gives its container (overriding the image's), or
 * nothing (no app's manifest sets any today).
 */
export function deployedNodeOptions(app: string): Record<string, string> {
  const path = join(root, 'deploy/k8s', app, `${app}.yaml`);
  if (!existsSync(path)) return {};
  for (const document of parseAllDocuments(readFileSync(path, 'utf8'))) {
    const manifest = document.toJSON() as { kind?: string; spec?: { template?: { spec?: { containers?: { env?: { name: string; value?: string }[] }[] } } } };
    if (manifest?.kind !== 'Deployment') continue;
    const option = manifest.spec?.template?.spec?.containers?.[0]?.env?.find((variable) => variable.name === 'NODE_OPTIONS');
    if (option?.value !== undefined) return { NODE_OPTIONS: option.value };
  }
  return {};
}
